using EthicsPortal.Core.Common;
using EthicsPortal.Core.Retention;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>Retention warnings and erasures, once across instances.</summary>
public sealed class RetentionHost(RetentionService retention, IOptions<RetentionOptions> options, LeaseService leases, PortalInstance instance,
    TimeProvider time, ILogger<RetentionHost> logger) : LeasedBackgroundService(leases, instance, time, logger)
{
    protected override string Name => "retention";
    protected override TimeSpan Interval => options.Value.Interval > TimeSpan.Zero ? options.Value.Interval : TimeSpan.FromHours(1);
    protected override Task RunRoundAsync(CancellationToken ct) => retention.RunOnceAsync(ct);
}
