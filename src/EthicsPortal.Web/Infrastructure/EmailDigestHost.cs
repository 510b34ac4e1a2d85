using EthicsPortal.Core.Common;
using EthicsPortal.Core.Notifications;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>Staff email digests, once across instances (so nobody gets the same digest twice).</summary>
public sealed class EmailDigestHost(EmailDigest digest, IOptions<EmailOptions> options, LeaseService leases, PortalInstance instance,
    TimeProvider time, ILogger<EmailDigestHost> logger) : LeasedBackgroundService(leases, instance, time, logger)
{
    protected override string Name => "email-digest";
    protected override bool Enabled => options.Value.Enabled;
    protected override TimeSpan Interval => TimeSpan.FromMinutes(Math.Max(1, options.Value.IntervalMinutes));
    protected override Task RunRoundAsync(CancellationToken ct) => digest.SendDueAsync(ct);
}
