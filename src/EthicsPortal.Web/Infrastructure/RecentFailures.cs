using System.Collections.Concurrent;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// "At least N failures in the last T" per key (an HMAC of a client's address), in memory only. Only the latest
/// <c>keep</c> failures of a key are kept, which is all the question needs, so a loop cannot grow the memory; keys with
/// nothing left in the window are swept once there are many.
/// </summary>
public sealed class RecentFailures(TimeSpan window, int keep, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> _byKey = new(StringComparer.Ordinal);

    public void Add(string key)
    {
        var now = time.GetUtcNow();
        var mine = _byKey.GetOrAdd(key, _ => new ConcurrentQueue<DateTimeOffset>());
        mine.Enqueue(now);
        while (mine.Count > Math.Max(1, keep))
            mine.TryDequeue(out _);
        if (_byKey.Count > 10_000)
        {
            foreach (var (k, queue) in _byKey)
            {
                if (Count(queue, now) == 0)
                    _byKey.TryRemove(k, out _);
            }
        }
    }

    public int Count(string key) => _byKey.TryGetValue(key, out var queue) ? Count(queue, time.GetUtcNow()) : 0;

    private int Count(ConcurrentQueue<DateTimeOffset> queue, DateTimeOffset now)
    {
        while (queue.TryPeek(out var oldest) && now - oldest > window)
            queue.TryDequeue(out _);
        return queue.Count;
    }
}
