using System.Collections.Concurrent;
using EthicsPortal.Core.Intake;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// Slows guessing of receipts on top of their 120 bits, without letting anyone lock reporters out: wrong receipts are
/// counted per client (an HMAC of the address under a salt held only in memory) over the last hour, and past the limit
/// every try from that client waits <see cref="IntakeOptions.SlowReceiptDelay"/> before it is looked up. There is no
/// portal-wide limit, so wrong receipts from many addresses change nothing for anyone else, and a correct receipt from
/// a client past its limit (a Tor exit that a guesser shares) still opens its inbox. Nothing here is written anywhere.
/// </summary>
public sealed class ReceiptGuard(IOptions<IntakeOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> _failures = new();

    /// <summary>Waits first when this client has tried too many wrong receipts in the hour.</summary>
    public async Task PaceAsync(HttpContext context, CancellationToken ct)
    {
        if (_failures.TryGetValue(Key(context), out var mine) && Count(mine, time.GetUtcNow()) >= options.Value.FailedReceiptsPerClientPerHour)
            await Task.Delay(options.Value.SlowReceiptDelay, time, ct);
    }

    public void RecordFailure(HttpContext context)
    {
        var now = time.GetUtcNow();
        var mine = _failures.GetOrAdd(Key(context), _ => new ConcurrentQueue<DateTimeOffset>());
        mine.Enqueue(now);
        // Only the latest failures up to the limit matter ("that many in the last hour"): a loop cannot grow the queue.
        while (mine.Count > options.Value.FailedReceiptsPerClientPerHour)
            mine.TryDequeue(out _);
        if (_failures.Count > 10_000)
            Sweep(now);
    }

    private static int Count(ConcurrentQueue<DateTimeOffset> queue, DateTimeOffset now)
    {
        while (queue.TryPeek(out var oldest) && now - oldest > Window)
            queue.TryDequeue(out _);
        return queue.Count;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, queue) in _failures)
        {
            if (Count(queue, now) == 0)
                _failures.TryRemove(key, out _);
        }
    }

    private static string Key(HttpContext context) => AnonymousClientKey.For(context);
}
