using System.Collections.Concurrent;
using EthicsPortal.Core.Security;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace EthicsPortal.Core.Sealing;

/// <summary>
/// The private keys of the members signed in to this instance, unlocked at sign-in, in this process's memory only:
/// never in the database, a log, a cookie or a file. A key is dropped at sign-out, after the staff idle timeout
/// without use, and with the process. Background work never asks for one.
/// </summary>
public sealed class KeyChain(TimeProvider time, IOptions<StaffSessionOptions> sessions)
{
    /// <summary>How long a key unlocked by a password waits for the second factor that completes the sign-in.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Held> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Held> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PasskeyEnrolment> _enrolments = new(StringComparer.Ordinal);

    // What a member opened with their key this session (queue group keys, case keys), by member: it goes with their key.
    private readonly ConcurrentDictionary<string, Opened> _opened = new(StringComparer.Ordinal);

    /// <summary>A member opens a few hundred cases a session at most; past this many the cache starts again (memory stays bounded).</summary>
    internal const int OpenedCaseKeysPerMember = 512;

    private sealed class Opened
    {
        public ConcurrentDictionary<string, Key> Groups { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<(int CaseId, CaseKeyPart Part), (byte[] Sealed, byte[] Key)> Cases { get; } = new();
    }

    /// <summary>
    /// A passkey's wrap key that arrived while the member's private key was locked (a passkey sign-in before the passkey
    /// wrapped anything): held for the session, so that the member's next unlock with their secret also wraps the key
    /// for that passkey. The wrap key, not the PRF output; it opens nothing by itself until a wrap exists.
    /// </summary>
    public sealed record PasskeyEnrolment(byte[] CredentialId, byte[] WrapKey, DateTimeOffset At);

    private sealed class Held(Key key, DateTimeOffset at)
    {
        public Key Key { get; } = key;
        public DateTimeOffset LastUsed { get; set; } = at;
    }

    private TimeSpan Idle => TimeSpan.FromMinutes(Math.Max(1, sessions.Value.IdleTimeoutMinutes));

    /// <summary>Holds a member's unlocked key for their signed-in session.</summary>
    public void Hold(string userId, Key key)
    {
        _keys[userId] = new Held(key, time.GetUtcNow());
        Sweep();
    }

    /// <summary>Holds a key unlocked by a password until the second factor completes the sign-in (or <see cref="PendingLifetime"/> passes).</summary>
    public void HoldPending(string userId, Key key)
    {
        if (_pending.TryRemove(userId, out var stale))
            stale.Key.Dispose();
        _pending[userId] = new Held(key, time.GetUtcNow());
    }

    /// <summary>The second factor succeeded: the pending key becomes the session's.</summary>
    public bool Promote(string userId)
    {
        if (!_pending.TryRemove(userId, out var pending))
            return false;
        if (time.GetUtcNow() - pending.LastUsed > PendingLifetime)
        {
            pending.Key.Dispose();
            return false;
        }
        Hold(userId, pending.Key);
        return true;
    }

    /// <summary>The member's key while they work; null when it was never unlocked here, or idled out, or dropped.</summary>
    public Key? For(string userId)
    {
        if (!_keys.TryGetValue(userId, out var held))
            return null;
        var now = time.GetUtcNow();
        if (now - held.LastUsed > Idle)
        {
            Drop(userId);
            return null;
        }
        held.LastUsed = now;
        return held.Key;
    }

    public bool IsUnlocked(string userId) => For(userId) is not null;

    /// <summary>
    /// A queue group key the member opened earlier in this session, while their own key is held; the caller has just
    /// read their sealed copy of it from the database, so a member who lost it on another instance is not served from here.
    /// </summary>
    internal Key? GroupKeyFor(string userId, string queueKeyId)
        => _keys.ContainsKey(userId) && _opened.TryGetValue(userId, out var opened) && opened.Groups.TryGetValue(queueKeyId, out var key) ? key : null;

    internal void HoldGroupKey(string userId, string queueKeyId, Key key)
    {
        if (_keys.ContainsKey(userId))
            _opened.GetOrAdd(userId, _ => new Opened()).Groups[queueKeyId] = key;
    }

    /// <summary>
    /// A case key the member opened earlier in this session from the very copy <paramref name="sealedCopy"/> the caller has
    /// just read from the database (so a copy deleted or re-sealed meanwhile, on any instance, is opened afresh or not at
    /// all); a copy of it, the caller's to keep. Saves an X25519 agreement on every page.
    /// </summary>
    internal byte[]? CaseKeyFor(string userId, int caseId, CaseKeyPart part, ReadOnlySpan<byte> sealedCopy)
        => _keys.ContainsKey(userId) && _opened.TryGetValue(userId, out var opened) && opened.Cases.TryGetValue((caseId, part), out var held)
            && sealedCopy.SequenceEqual(held.Sealed) ? (byte[])held.Key.Clone() : null;

    internal void HoldCaseKey(string userId, int caseId, CaseKeyPart part, byte[] sealedCopy, byte[] key)
    {
        if (!_keys.ContainsKey(userId))
            return;
        var cases = _opened.GetOrAdd(userId, _ => new Opened()).Cases;
        if (cases.Count >= OpenedCaseKeysPerMember)
            cases.Clear();
        cases[(caseId, part)] = (sealedCopy, (byte[])key.Clone());
    }

    public void HoldEnrolment(string userId, byte[] credentialId, byte[] wrapKey)
        => _enrolments[userId] = new PasskeyEnrolment(credentialId, wrapKey, time.GetUtcNow());

    /// <summary>The passkey waiting to wrap the member's key, once; null when none or it idled out.</summary>
    public PasskeyEnrolment? TakeEnrolment(string userId)
        => _enrolments.TryRemove(userId, out var enrolment) && time.GetUtcNow() - enrolment.At <= Idle ? enrolment : null;

    /// <summary>Sign-out, a lock, a reset or a new key pair: the key leaves memory.</summary>
    public void Drop(string userId)
    {
        // Not disposed here: a request on another thread may be using it this instant; the collector frees it.
        _keys.TryRemove(userId, out _);
        _opened.TryRemove(userId, out _);
        _pending.TryRemove(userId, out _);
        if (_enrolments.TryRemove(userId, out var enrolment))
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(enrolment.WrapKey);
    }

    /// <summary>How many members have a key unlocked on this instance (for the admin's status, never who).</summary>
    public int Count
    {
        get
        {
            Sweep();
            return _keys.Count;
        }
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, held) in _keys)
        {
            if (now - held.LastUsed > Idle)
                _keys.TryRemove(id, out _);
        }
        foreach (var id in _opened.Keys)
        {
            if (!_keys.ContainsKey(id))
                _opened.TryRemove(id, out _);
        }
        foreach (var (id, held) in _pending)
        {
            if (now - held.LastUsed > PendingLifetime)
                _pending.TryRemove(id, out _);
        }
        foreach (var (id, enrolment) in _enrolments)
        {
            if (now - enrolment.At > Idle)
                _enrolments.TryRemove(id, out _);
        }
    }
}
