using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EthicsPortal.Core.Data.Configurations;

internal sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> b)
    {
        b.ToTable("Cases");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).RandomKey<Case>();
        b.Property(c => c.Reference).HasMaxLength(Case.ReferenceMaxLength).IsRequired();
        b.HasIndex(c => c.Reference).IsUnique();
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Channel).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Ongoing).HasConversion<string>().HasMaxLength(10);
        b.Property(c => c.ProductKey).HasMaxLength(50).IsRequired();
        b.Property(c => c.MisuseTypeKey).HasMaxLength(50).IsRequired();
        b.Property(c => c.ReceiptHash).HasMaxLength(32).IsRequired();
        b.HasIndex(c => c.ReceiptHash).IsUnique();
        b.Property(c => c.ContentSha256).HasMaxLength(64).IsRequired();
        b.Property(c => c.Version).IsConcurrencyToken();
        b.HasIndex(c => c.RetaliationFlagged);
        b.Property(c => c.Priority).HasConversion<string>().HasMaxLength(10);
        b.Property(c => c.Outcome).HasConversion<string>().HasMaxLength(30);
        b.Property(c => c.AssigneeUserId).HasMaxLength(450);
        b.HasIndex(c => new { c.AssigneeUserId, c.Status });
        b.HasIndex(c => new { c.Status, c.ReceivedAt });
        b.HasIndex(c => new { c.MisuseTypeKey, c.ReceivedAt });
        b.HasIndex(c => new { c.ProductKey, c.ReceivedAt });
        b.HasIndex(c => new { c.CustomerId, c.ReceivedAt });
        b.HasIndex(c => c.ReceivedAt);
        // Insights: the splits by type, product, queue and channel of a year, read from this index alone in one pass.
        b.HasIndex(c => new { c.ReceivedMonth, c.MisuseTypeKey, c.ProductKey, c.QueueId, c.Channel }, "IX_Cases_Dimensions");
        // Insights: status, outcome and the Directive figures read from this index alone, in GROUP BY order, never the
        // (large, encrypted) case rows.
        b.HasIndex(c => new
        {
            c.ReceivedMonth, c.Status, c.Outcome, c.AcknowledgedInTime, c.FeedbackInTime, c.SecondsToAcknowledge, c.SecondsToClose,
            c.AcknowledgeBy, c.FirstFeedbackAt, c.FeedbackBy,
        }, "IX_Cases_Insights");
        // Insights over many months: the times in order, so a percentile is a walk along the index, not a sort.
        b.HasIndex(c => new { c.SecondsToAcknowledge, c.ReceivedMonth });
        b.HasIndex(c => new { c.SecondsToClose, c.ReceivedMonth, c.Status });
        b.HasIndex(c => c.ClosedMonth);
        // The queue sorted by a deadline walks one of these and stops after a page, instead of sorting every match.
        b.HasIndex(c => new { c.Status, c.AcknowledgeBy });
        b.HasIndex(c => c.AcknowledgeBy);
        b.HasIndex(c => c.FeedbackBy);
        // "Overdue": not yet acknowledged (or answered), still open, deadline passed: a seek per open status.
        b.HasIndex(c => new { c.AcknowledgedAt, c.Status, c.AcknowledgeBy });
        b.HasIndex(c => new { c.FirstFeedbackAt, c.Status, c.FeedbackBy });
        b.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(c => c.Notes).WithOne().HasForeignKey(n => n.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Actions).WithOne().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(c => c.Notes).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(c => c.Actions).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasOne<Queue>().WithMany().HasForeignKey(c => c.QueueId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => new { c.QueueId, c.Status, c.ReceivedAt });
        b.HasMany(c => c.Events).WithOne().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Attachments).WithOne().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Exclusions).WithOne().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(c => c.Events).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(c => c.Attachments).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(c => c.Exclusions).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasMany(c => c.Messages).WithOne().HasForeignKey(m => m.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.CheckIns).WithOne().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(c => c.Messages).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(c => c.CheckIns).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasIndex(c => new { c.Status, c.ErasedAt, c.ClosedAt });   // retention: closed, not yet erased, by age
    }
}

internal sealed class CaseMessageConfiguration : IEntityTypeConfiguration<CaseMessage>
{
    public void Configure(EntityTypeBuilder<CaseMessage> b)
    {
        b.ToTable("CaseMessages");
        b.HasKey(m => m.Id);
        b.Property(m => m.Id).RandomKey();
        b.Property(m => m.Author).HasConversion<string>().HasMaxLength(20);
        b.Property(m => m.StaffUserId).HasMaxLength(450);
        b.HasIndex(m => new { m.CaseId, m.At });
    }
}

internal sealed class RetaliationCheckInConfiguration : IEntityTypeConfiguration<RetaliationCheckIn>
{
    public void Configure(EntityTypeBuilder<RetaliationCheckIn> b)
    {
        b.ToTable("RetaliationCheckIns");
        b.HasKey(x => new { x.CaseId, x.Day });
        b.HasIndex(x => new { x.ReceivedMonth, x.TreatedWorse, x.CaseId });   // insights: counted from this index alone
    }
}

internal sealed class CaseEventConfiguration : IEntityTypeConfiguration<CaseEvent>
{
    public void Configure(EntityTypeBuilder<CaseEvent> b)
    {
        b.ToTable("CaseEvents");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).RandomKey();
        b.Property(e => e.Actor).HasMaxLength(200).IsRequired();
        b.Property(e => e.From).HasConversion<string>().HasMaxLength(20);
        b.Property(e => e.To).HasConversion<string>().HasMaxLength(20);
        b.Property(e => e.Reason).HasMaxLength(CaseEvent.ReasonMaxLength).IsRequired();
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(30);
        b.HasIndex(e => new { e.CaseId, e.At });
    }
}

internal sealed class CaseExclusionConfiguration : IEntityTypeConfiguration<CaseExclusion>
{
    public void Configure(EntityTypeBuilder<CaseExclusion> b)
    {
        b.ToTable("CaseExclusions");
        b.HasKey(x => new { x.CaseId, x.UserId });
        b.Property(x => x.UserId).HasMaxLength(450);
        b.Property(x => x.Source).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => x.UserId);
    }
}

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> b)
    {
        b.ToTable("Attachments");
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).RandomKey<Attachment>();
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(10);
        b.Property(a => a.ContentType).HasMaxLength(100).IsRequired();
        b.Property(a => a.RemovedSummary).HasMaxLength(Attachment.RemovedSummaryMaxLength).IsRequired();
        b.Property(a => a.AddedBy).HasMaxLength(200).IsRequired();
        b.HasOne(a => a.Content).WithOne().HasForeignKey<AttachmentContent>(c => c.AttachmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AttachmentContentConfiguration : IEntityTypeConfiguration<AttachmentContent>
{
    public void Configure(EntityTypeBuilder<AttachmentContent> b)
    {
        b.ToTable("AttachmentContents");
        b.HasKey(c => c.AttachmentId);
    }
}

internal sealed class QueueConfiguration : IEntityTypeConfiguration<Queue>
{
    public void Configure(EntityTypeBuilder<Queue> b)
    {
        b.ToTable("Queues");
        b.HasKey(q => q.Id);
        b.Property(q => q.Name).HasMaxLength(Queue.NameMaxLength).IsRequired();
        b.HasIndex(q => q.Name).IsUnique();
        b.Property(q => q.RetentionDays).HasDefaultValue(Queue.DefaultRetentionDays);
    }
}

internal sealed class CaseNoteConfiguration : IEntityTypeConfiguration<CaseNote>
{
    public void Configure(EntityTypeBuilder<CaseNote> b)
    {
        b.ToTable("CaseNotes");
        b.HasKey(n => n.Id);
        b.Property(n => n.StaffUserId).HasMaxLength(450).IsRequired();
    }
}

internal sealed class CaseActionConfiguration : IEntityTypeConfiguration<CaseAction>
{
    public void Configure(EntityTypeBuilder<CaseAction> b)
    {
        b.ToTable("CaseActions");
        b.HasKey(a => a.Id);
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(a => a.Products).HasMaxLength(CaseAction.ProductsMaxLength);
        b.HasIndex(a => a.Kind);
        b.HasIndex(a => new { a.CaseId, a.Kind });
        // Insights count a year's standing actions by month and kind from this index alone.
        b.HasIndex(a => new { a.Standing, a.ReceivedMonth, a.Kind, a.CaseId });
    }
}

internal sealed class CaseLinkConfiguration : IEntityTypeConfiguration<CaseLink>
{
    public void Configure(EntityTypeBuilder<CaseLink> b)
    {
        b.ToTable("CaseLinks");
        b.HasKey(l => new { l.CaseId, l.LinkedCaseId });
        b.Property(l => l.Actor).HasMaxLength(200);
        b.HasOne<Case>().WithMany().HasForeignKey(l => l.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Case>().WithMany().HasForeignKey(l => l.LinkedCaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class QueueMemberConfiguration : IEntityTypeConfiguration<QueueMember>
{
    public void Configure(EntityTypeBuilder<QueueMember> b)
    {
        b.ToTable("QueueMembers");
        b.HasKey(m => new { m.QueueId, m.UserId });
        b.Property(m => m.UserId).HasMaxLength(450);
        b.HasOne<Queue>().WithMany().HasForeignKey(m => m.QueueId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(m => m.UserId);
    }
}

internal sealed class RoutingRuleConfiguration : IEntityTypeConfiguration<RoutingRule>
{
    public void Configure(EntityTypeBuilder<RoutingRule> b)
    {
        b.ToTable("RoutingRules");
        b.HasKey(r => r.Id);
        b.Property(r => r.MisuseTypeKey).HasMaxLength(50);
        b.Property(r => r.ProductKey).HasMaxLength(50);
        b.Property(r => r.Ongoing).HasConversion<string>().HasMaxLength(10);
        b.Property(r => r.Priority).HasConversion<string>().HasMaxLength(10);
        b.HasOne<Queue>().WithMany().HasForeignKey(r => r.QueueId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DeadlineAlertConfiguration : IEntityTypeConfiguration<DeadlineAlertSent>
{
    public void Configure(EntityTypeBuilder<DeadlineAlertSent> b)
    {
        b.ToTable("DeadlineAlerts");
        b.HasKey(a => new { a.CaseId, a.Period, a.Percent });
        b.Property(a => a.Period).HasConversion<string>().HasMaxLength(20);
        b.HasOne<Case>().WithMany().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
