using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Common;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// Adds each ended hour's batch of reporter entries to the audit chain within minutes of the hour, even when no one
/// else writes to the chain. Any other append does the same first, so this only bounds how long a batch waits.
/// </summary>
public sealed class AuditBatchHost(AuditLog audit, LeaseService leases, PortalInstance instance, TimeProvider time, ILogger<AuditBatchHost> logger)
    : LeasedBackgroundService(leases, instance, time, logger)
{
    protected override string Name => "audit-batches";
    protected override TimeSpan Interval => TimeSpan.FromMinutes(5);
    protected override Task RunRoundAsync(CancellationToken ct) => audit.FlushEndedHoursAsync(ct);
}
