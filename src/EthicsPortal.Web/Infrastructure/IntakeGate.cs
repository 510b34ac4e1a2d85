using System.Collections.Concurrent;
using EthicsPortal.Core.Intake;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>Where a concern goes: straight to the committee, to the chair's screening, or (only past the flood bound) nowhere.</summary>
public enum IntakeLane { Committee, Screening, Refused }

/// <summary>
/// The channel never closes. Each client (a salted hash of its address, held in memory only) and the portal as a
/// whole send a set number of concerns an hour straight to the committee. Past that, concerns are still stored and
/// answered with a receipt, but wait for the chair's screening, so a loop from one address, or from a thousand, or a
/// Tor exit that many reporters share, cannot keep a genuine concern out. Only what the portal would not have taken
/// before a flood is refused: a concern past <see cref="IntakeOptions.ScreeningPerHour"/> concerns or
/// <see cref="IntakeOptions.ScreeningBytesPerHour"/> bytes waiting in the hour, which bounds what a flood can store.
/// A refused or failed request counts for nothing: only stored concerns are counted. Nothing here is written anywhere.
/// </summary>
public sealed class IntakeGate(IOptions<IntakeOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, HourlyTally> _clients = new();
    private readonly HourlyTally _committee = new();
    private readonly HourlyTally _screening = new();

    private readonly Lock _lock = new();

    /// <summary>
    /// Takes a place for a concern of <paramref name="bytes"/> bytes from this client and says in which lane. Decided and
    /// counted under one lock, so parallel requests cannot all slip into the committee's share. The caller gives the
    /// place back with <see cref="Release"/> when the concern is not stored (a mistake in the form): only what is stored counts.
    /// </summary>
    public IntakeLane Reserve(HttpContext context, long bytes)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var key = AnonymousClientKey.For(context);
        lock (_lock)
        {
            var client = _clients.GetOrAdd(key, _ => new HourlyTally());
            var lane = client.Count(now) < o.SubmissionsPerClientPerHour && _committee.Count(now) < o.SubmissionsPerHour ? IntakeLane.Committee
                : _screening.Count(now) < o.ScreeningPerHour && _screening.Bytes(now) + bytes <= o.ScreeningBytesPerHour ? IntakeLane.Screening
                : IntakeLane.Refused;
            if (lane == IntakeLane.Refused)
                return lane;   // a refusal takes nothing from anyone
            client.Add(now, bytes);
            (lane == IntakeLane.Committee ? _committee : _screening).Add(now, bytes);
            if (_clients.Count > 10_000)
                Sweep(now);
            return lane;
        }
    }

    /// <summary>Gives back a place taken for a concern that was not stored.</summary>
    public void Release(HttpContext context, IntakeLane lane, long bytes)
    {
        if (lane == IntakeLane.Refused)
            return;
        lock (_lock)
        {
            if (_clients.TryGetValue(AnonymousClientKey.For(context), out var client))
                client.RemoveOne(bytes);
            (lane == IntakeLane.Committee ? _committee : _screening).RemoveOne(bytes);
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, tally) in _clients)
        {
            if (tally.Count(now) == 0)
                _clients.TryRemove(key, out _);
        }
    }

    /// <summary>What was stored in the last hour; at most the hourly bounds, so memory stays small under any flood. Guarded by the gate's lock.</summary>
    private sealed class HourlyTally
    {
        private readonly LinkedList<(DateTimeOffset At, long Bytes)> _entries = new();
        private long _bytes;

        public void Add(DateTimeOffset now, long bytes)
        {
            _entries.AddLast((now, bytes));
            _bytes += bytes;
        }

        public void RemoveOne(long bytes)
        {
            for (var node = _entries.Last; node is not null; node = node.Previous)
            {
                if (node.Value.Bytes == bytes)
                {
                    _entries.Remove(node);
                    _bytes -= bytes;
                    return;
                }
            }
        }

        public int Count(DateTimeOffset now)
        {
            Expire(now);
            return _entries.Count;
        }

        public long Bytes(DateTimeOffset now)
        {
            Expire(now);
            return _bytes;
        }

        private void Expire(DateTimeOffset now)
        {
            while (_entries.First is { } oldest && now - oldest.Value.At > Window)
            {
                _bytes -= oldest.Value.Bytes;
                _entries.RemoveFirst();
            }
        }
    }
}
