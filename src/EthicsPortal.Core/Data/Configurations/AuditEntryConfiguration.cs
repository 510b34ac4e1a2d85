using EthicsPortal.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EthicsPortal.Core.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditEntries");
        b.HasKey(e => e.Id);
        // Unique: two writers can never both append entry N, so the chain cannot fork.
        b.HasIndex(e => e.Sequence).IsUnique();
        b.HasIndex(e => new { e.Action, e.OccurredAt });
        b.Property(e => e.Actor).HasMaxLength(AuditEntry.ActorMaxLength).IsRequired();
        b.Property(e => e.Action).HasMaxLength(AuditEntry.ActionMaxLength).IsRequired();
        b.Property(e => e.Subject).HasMaxLength(AuditEntry.SubjectMaxLength).IsRequired();
        b.Property(e => e.Details).HasMaxLength(AuditEntry.DetailsMaxLength);
        b.Property(e => e.PreviousHash).HasMaxLength(64).IsRequired();
        b.Property(e => e.Hash).HasMaxLength(64).IsRequired();
    }
}

internal sealed class PendingAuditEntryConfiguration : IEntityTypeConfiguration<PendingAuditEntry>
{
    public void Configure(EntityTypeBuilder<PendingAuditEntry> b)
    {
        b.ToTable("PendingAuditEntries");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.HasIndex(e => e.Hour);
        b.Property(e => e.Actor).HasMaxLength(AuditEntry.ActorMaxLength).IsRequired();
        b.Property(e => e.Action).HasMaxLength(AuditEntry.ActionMaxLength).IsRequired();
        b.Property(e => e.Subject).HasMaxLength(AuditEntry.SubjectMaxLength).IsRequired();
        b.Property(e => e.Details).HasMaxLength(AuditEntry.DetailsMaxLength);
    }
}
