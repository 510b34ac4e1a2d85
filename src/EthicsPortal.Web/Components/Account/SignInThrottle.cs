using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace EthicsPortal.Web.Components.Account;

/// <summary>
/// Slows password guessing without handing an outsider a lever (NIST SP 800-63B-4 §3.2.2 allows throttling).
/// <list type="bullet">
/// <item>The same client guessing the same account: after 5 wrong passwords each further try waits, doubling from 1 s to
/// 30 s. The member, from their own device, is not slowed by someone else's guesses.</item>
/// <item>One client guessing many accounts: after 20 wrong passwords in 15 minutes each try from it waits 5 s.</item>
/// <item>Every account, from everywhere: 100 consecutive wrong passwords lock its password sign-in for 15 minutes (the
/// NIST cap), which takes an outsider at least 20 addresses or 50 minutes. Identity counts that for known accounts; this
/// class counts it the same way for addresses that have no account, so both look alike.</item>
/// <item>Hashing: at most one password hash per core runs at once; waits come before it, so a flood of guesses spends
/// time, not CPU.</item>
/// </list>
/// Accounts and clients are known only by HMACs under a salt held in memory; nothing here is written anywhere.
/// </summary>
public sealed class SignInThrottle(TimeProvider time) : IDisposable
{
    public const int FreeFailuresPerAccount = 5;
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);
    public const int FreeFailuresPerClient = 20;
    public static readonly TimeSpan ClientWindow = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ClientWait = TimeSpan.FromSeconds(5);

    private static readonly byte[] Salt = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Last)> _pairs = new(StringComparer.Ordinal);
    private readonly Infrastructure.RecentFailures _clients = new(ClientWindow, FreeFailuresPerClient, time);
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Last)> _unknown = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _hashing = new(Math.Max(1, Environment.ProcessorCount));

    /// <summary>How long a try for <paramref name="email"/> from <paramref name="client"/> waits before it is checked.</summary>
    public TimeSpan WaitFor(string email, string client)
    {
        var now = time.GetUtcNow();
        var wait = TimeSpan.Zero;
        if (_pairs.TryGetValue(Pair(email, client), out var pair) && pair.Failures >= FreeFailuresPerAccount && now - pair.Last < ClientWindow)
            wait = TimeSpan.FromSeconds(Math.Min(MaxWait.TotalSeconds, Math.Pow(2, pair.Failures - FreeFailuresPerAccount)));
        if (_clients.Count(client) >= FreeFailuresPerClient && wait < ClientWait)
            wait = ClientWait;
        return wait;
    }

    /// <summary>Runs the check (one password hash) after the wait, with at most one hash per core at a time.</summary>
    public async Task<T> CheckAsync<T>(string email, string client, Func<Task<T>> check, CancellationToken ct)
    {
        if (WaitFor(email, client) is { } wait && wait > TimeSpan.Zero)
            await Task.Delay(wait, time, ct);
        await _hashing.WaitAsync(ct);
        try
        {
            return await check();
        }
        finally
        {
            _hashing.Release();
        }
    }

    public void Failed(string email, string client)
    {
        var now = time.GetUtcNow();
        _pairs.AddOrUpdate(Pair(email, client), (1, now), (_, p) => now - p.Last < ClientWindow ? (p.Failures + 1, now) : (1, now));
        _clients.Add(client);
        if (_pairs.Count > 50_000 || _unknown.Count > 50_000)
            Sweep(now);
    }

    public void Succeeded(string email, string client) => _pairs.TryRemove(Pair(email, client), out _);

    /// <summary>
    /// For an address with no account: counts consecutive failures as Identity does for an account, so that after
    /// <paramref name="limit"/> it answers "locked" for <paramref name="lockout"/> just as a real account would.
    /// </summary>
    public bool UnknownFailed(string email, int limit, TimeSpan lockout)
    {
        var now = time.GetUtcNow();
        var key = Key(email);
        var state = _unknown.AddOrUpdate(key, (1, now), (_, u) => u.Failures >= limit && now - u.Last >= lockout ? (1, now) : (u.Failures + 1, now));
        return state.Failures >= limit;
    }

    public bool UnknownLocked(string email, int limit, TimeSpan lockout)
        => _unknown.TryGetValue(Key(email), out var u) && u.Failures >= limit && time.GetUtcNow() - u.Last < lockout;

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, p) in _pairs)
        {
            if (now - p.Last >= ClientWindow)
                _pairs.TryRemove(key, out _);
        }
        foreach (var (key, u) in _unknown)
        {
            if (now - u.Last >= TimeSpan.FromHours(1))
                _unknown.TryRemove(key, out _);
        }
    }

    public void Dispose() => _hashing.Dispose();

    private static string Key(string email)
        => Convert.ToHexString(HMACSHA256.HashData(Salt, Encoding.UTF8.GetBytes(email.Trim().ToUpperInvariant())));

    private static string Pair(string email, string client) => Key(email) + "|" + client;
}
