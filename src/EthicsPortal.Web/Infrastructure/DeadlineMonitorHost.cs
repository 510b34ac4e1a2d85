using EthicsPortal.Core.Cases;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>Runs the deadline monitor on a timer; a failed round is logged and the next one tries again.</summary>
public sealed class DeadlineMonitorHost(DeadlineMonitor monitor, IOptions<DeadlineAlertOptions> options, TimeProvider time, ILogger<DeadlineMonitorHost> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                await monitor.RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Deadline monitor round failed.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
