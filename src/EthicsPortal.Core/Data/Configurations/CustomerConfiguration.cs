using EthicsPortal.Core.Customers;
using EthicsPortal.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EthicsPortal.Core.Data.Configurations;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.ToTable("Customers");
        b.HasKey(c => c.Id);
        b.Property(c => c.Name).HasMaxLength(Customer.NameMaxLength).IsRequired();
        b.HasIndex(c => c.Name).IsUnique();
        b.HasMany(c => c.Aliases).WithOne().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.AccountTeam).WithOne().HasForeignKey(m => m.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(c => c.Aliases).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(c => c.AccountTeam).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class CustomerAliasConfiguration : IEntityTypeConfiguration<CustomerAlias>
{
    public void Configure(EntityTypeBuilder<CustomerAlias> b)
    {
        b.ToTable("CustomerAliases");
        b.HasKey(a => a.Id);
        b.Property(a => a.Alias).HasMaxLength(Customer.NameMaxLength).IsRequired();
        b.HasIndex(a => a.Alias);
    }
}

internal sealed class AccountTeamMemberConfiguration : IEntityTypeConfiguration<AccountTeamMember>
{
    public void Configure(EntityTypeBuilder<AccountTeamMember> b)
    {
        b.ToTable("AccountTeamMembers");
        b.HasKey(m => new { m.CustomerId, m.UserId });
        b.Property(m => m.UserId).HasMaxLength(450);
        b.HasIndex(m => m.UserId);
    }
}

internal sealed class StaffNotificationConfiguration : IEntityTypeConfiguration<StaffNotification>
{
    public void Configure(EntityTypeBuilder<StaffNotification> b)
    {
        b.ToTable("Notifications");
        b.HasKey(n => n.Id);
        b.Property(n => n.Id).RandomKey();
        b.Property(n => n.UserId).HasMaxLength(450).IsRequired();
        b.Property(n => n.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(n => n.Text).HasMaxLength(StaffNotification.TextMaxLength).IsRequired();
        b.HasIndex(n => new { n.UserId, n.ReadAt, n.At });
        b.HasIndex(n => new { n.UserId, n.At });   // a member's notices, newest first (keys are random, so not by Id)
        b.HasIndex(n => new { n.EmailedAt, n.ReadAt, n.UserId });   // the email digest's pending notices
    }
}

internal sealed class LeaseConfiguration : IEntityTypeConfiguration<EthicsPortal.Core.Common.Lease>
{
    public void Configure(EntityTypeBuilder<EthicsPortal.Core.Common.Lease> b)
    {
        b.ToTable("Leases");
        b.HasKey(l => l.Name);
        b.Property(l => l.Name).HasMaxLength(EthicsPortal.Core.Common.Lease.NameMaxLength);
        b.Property(l => l.Holder).HasMaxLength(EthicsPortal.Core.Common.Lease.HolderMaxLength).IsRequired();
    }
}

internal sealed class EndedVisitConfiguration : IEntityTypeConfiguration<EthicsPortal.Core.FollowUp.EndedVisit>
{
    public void Configure(EntityTypeBuilder<EthicsPortal.Core.FollowUp.EndedVisit> b)
    {
        b.ToTable("EndedVisits");
        b.HasKey(v => v.Id);
        b.Property(v => v.Id).HasMaxLength(EthicsPortal.Core.FollowUp.EndedVisit.IdLength);
        b.HasIndex(v => v.Until);
    }
}
