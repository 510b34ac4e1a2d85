using System.Collections.Concurrent;
using EthicsPortal.Core.Intake;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// Makes guessing receipts hopeless on top of their 120 bits: wrong receipts are counted per client (an HMAC
/// of the address under a salt held only in memory) and for the whole portal, over the last hour. Past the
/// limit the inbox answers 429 before looking anything up. Nothing here is written anywhere.
/// </summary>
public sealed class ReceiptGuard(IOptions<IntakeOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> _failures = new();
    private readonly ConcurrentQueue<DateTimeOffset> _all = new();

    public bool IsBlocked(HttpContext context)
    {
        var now = time.GetUtcNow();
        return Count(_all, now) >= options.Value.FailedReceiptsPerHour
               || (_failures.TryGetValue(Key(context), out var mine) && Count(mine, now) >= options.Value.FailedReceiptsPerClientPerHour);
    }

    public void RecordFailure(HttpContext context)
    {
        var now = time.GetUtcNow();
        _all.Enqueue(now);
        _failures.GetOrAdd(Key(context), _ => new ConcurrentQueue<DateTimeOffset>()).Enqueue(now);
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
