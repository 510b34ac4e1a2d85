using EthicsPortal.Core.Retention;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>Runs retention on a timer (warnings and erasures); a failed round is logged and the next one tries again.</summary>
public sealed class RetentionHost(RetentionService retention, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionHost> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Interval > TimeSpan.Zero ? options.Value.Interval : TimeSpan.FromHours(1);
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await retention.RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Retention round failed.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
