using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>Deadline alerts and escalations, once across instances.</summary>
public sealed class DeadlineMonitorHost(DeadlineMonitor monitor, IOptions<DeadlineAlertOptions> options, LeaseService leases, PortalInstance instance,
    TimeProvider time, ILogger<DeadlineMonitorHost> logger) : LeasedBackgroundService(leases, instance, time, logger)
{
    protected override string Name => "deadline-monitor";
    protected override TimeSpan Interval => options.Value.Interval;
    protected override Task RunRoundAsync(CancellationToken ct) => monitor.RunOnceAsync(ct);
}
