using EthicsPortal.Core.Common;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// Background work that runs on a timer, once across all instances: a round runs only while this instance holds the
/// work's lease (taken or renewed each round, valid for two rounds and a minute). A failed round is logged and the
/// next one tries again.
/// </summary>
public abstract class LeasedBackgroundService(LeaseService leases, PortalInstance instance, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The lease's name: one per kind of work.</summary>
    protected abstract string Name { get; }

    protected abstract TimeSpan Interval { get; }

    protected virtual bool Enabled => true;

    protected abstract Task RunRoundAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
            return;
        // PeriodicTimer takes at most about 49 days; a longer setting means "rarely", not a host that stops at start.
        var interval = Interval > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(Interval.Ticks, TimeSpan.FromDays(49).Ticks)) : TimeSpan.FromMinutes(15);
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                if (await leases.TryAcquireAsync(Name, instance.Id, interval * 2 + TimeSpan.FromMinutes(1), stoppingToken))
                    await RunRoundAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The type only: a message could quote data (an SMTP reply may name an address).
                logger.LogError("{Work} round failed: {Error}.", Name, ex.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
