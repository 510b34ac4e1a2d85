using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Customers;
using EthicsPortal.Core.Notifications;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace EthicsPortal.Core.Data;

public sealed class EthicsDbContext(DbContextOptions<EthicsDbContext> options) : IdentityDbContext<StaffUser>(options)
{
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<PendingAuditEntry> PendingAuditEntries => Set<PendingAuditEntry>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<CaseEvent> CaseEvents => Set<CaseEvent>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<AttachmentContent> AttachmentContents => Set<AttachmentContent>();
    public DbSet<CaseExclusion> CaseExclusions => Set<CaseExclusion>();
    public DbSet<Queue> Queues => Set<Queue>();
    public DbSet<CaseMessage> CaseMessages => Set<CaseMessage>();
    public DbSet<RetaliationCheckIn> RetaliationCheckIns => Set<RetaliationCheckIn>();
    public DbSet<CaseNote> CaseNotes => Set<CaseNote>();
    public DbSet<CaseAction> CaseActions => Set<CaseAction>();
    public DbSet<CaseLink> CaseLinks => Set<CaseLink>();
    public DbSet<QueueMember> QueueMembers => Set<QueueMember>();
    public DbSet<RoutingRule> RoutingRules => Set<RoutingRule>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<CustomerAlias> CustomerAliases => Set<CustomerAlias>();
    public DbSet<AccountTeamMember> AccountTeamMembers => Set<AccountTeamMember>();
    public DbSet<StaffNotification> Notifications => Set<StaffNotification>();
    public DbSet<DeadlineAlertSent> DeadlineAlerts => Set<DeadlineAlertSent>();
    public DbSet<EthicsPortal.Core.Common.Lease> Leases => Set<EthicsPortal.Core.Common.Lease>();
    public DbSet<EthicsPortal.Core.FollowUp.EndedVisit> EndedVisits => Set<EthicsPortal.Core.FollowUp.EndedVisit>();
    public DbSet<EthicsPortal.Core.Sealing.MemberKey> MemberKeys => Set<EthicsPortal.Core.Sealing.MemberKey>();
    public DbSet<EthicsPortal.Core.Sealing.PasskeyWrap> PasskeyWraps => Set<EthicsPortal.Core.Sealing.PasskeyWrap>();
    public DbSet<EthicsPortal.Core.Sealing.CaseKey> CaseKeys => Set<EthicsPortal.Core.Sealing.CaseKey>();
    public DbSet<EthicsPortal.Core.Sealing.QueueKey> QueueKeys => Set<EthicsPortal.Core.Sealing.QueueKey>();
    public DbSet<EthicsPortal.Core.Sealing.QueueKeyCopy> QueueKeyCopies => Set<EthicsPortal.Core.Sealing.QueueKeyCopy>();
    public DbSet<EthicsPortal.Core.Sealing.IdentityRequest> IdentityRequests => Set<EthicsPortal.Core.Sealing.IdentityRequest>();
    public DbSet<EthicsPortal.Core.Sealing.RecoveryKey> RecoveryKeys => Set<EthicsPortal.Core.Sealing.RecoveryKey>();
    public DbSet<EthicsPortal.Core.Sealing.RecoveryCustodian> RecoveryCustodians => Set<EthicsPortal.Core.Sealing.RecoveryCustodian>();
    public DbSet<EthicsPortal.Core.Sealing.RecoveryShare> RecoveryShares => Set<EthicsPortal.Core.Sealing.RecoveryShare>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(EthicsDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // UTC instants as sortable integer ticks on every provider: SQLite cannot compare DateTimeOffset text, and
        // PostgreSQL's timestamptz keeps microseconds only; a stored time must round-trip to the tick or audit hashes
        // break. (EF's DateTimeOffsetToBinaryConverter drops sub-millisecond ticks too.) Raw SQL is then one dialect.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
}
