using EthicsPortal.Core.Notifications;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>Sends the staff email digests on a timer; a failed round (server down) is logged and tried again next time.</summary>
public sealed class EmailDigestHost(EmailDigest digest, IOptions<EmailOptions> options, TimeProvider time, ILogger<EmailDigestHost> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
            return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.Value.IntervalMinutes)), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await digest.SendDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The server's reply may quote an address; log the kind of failure only.
                logger.LogWarning("Notification digests were not sent this round: {Error}.", ex.GetType().Name);
            }
        }
    }
}
