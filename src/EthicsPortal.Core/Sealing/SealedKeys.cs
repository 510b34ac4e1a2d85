namespace EthicsPortal.Core.Sealing;

/// <summary>
/// A staff member's key pair: the public half in the clear, the private half only wrapped under a secret of theirs
/// (<see cref="SecretWrap"/>). The server alone can open none of it.
/// </summary>
public sealed class MemberKey
{
    private MemberKey() { }

    public string UserId { get; private set; } = "";
    public byte[] PublicKey { get; private set; } = [];

    /// <summary>The private key under Argon2id of the account's password; null for an account without one (single sign-on).</summary>
    public byte[]? PasswordWrap { get; private set; }

    /// <summary>
    /// False while the wrapping password is one an Admin typed (a new account, a reset): such a key receives no grant,
    /// or the Admin who knows that password could read what it opens.
    /// </summary>
    public bool OwnSecret { get; private set; }

    /// <summary>
    /// When a chair (or the portal's set-up) vouched for this member. Only confirmed members receive keys: an Admin who
    /// gives an account a committee role gives it no case until a member who holds the key confirms it.
    /// </summary>
    public DateTimeOffset? ConfirmedAt { get; private set; }
    public string? ConfirmedBy { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public bool MayReceiveKeys => OwnSecret && ConfirmedAt is not null;

    internal static MemberKey Create(string userId, byte[] publicKey, byte[]? passwordWrap, bool ownSecret, DateTimeOffset now)
        => new() { UserId = userId, PublicKey = publicKey, PasswordWrap = passwordWrap, OwnSecret = ownSecret, CreatedAt = now };

    internal void Rewrap(byte[] passwordWrap, bool ownSecret)
    {
        PasswordWrap = passwordWrap;
        OwnSecret = ownSecret;
    }

    /// <summary>A new key pair (after a reset nobody could re-wrap): every copy sealed to the old one must go with it.</summary>
    internal void Replace(byte[] publicKey, byte[] passwordWrap, bool ownSecret)
    {
        PublicKey = publicKey;
        PasswordWrap = passwordWrap;
        OwnSecret = ownSecret;
    }

    internal void Unconfirm()
    {
        ConfirmedAt = null;
        ConfirmedBy = null;
    }

    internal void Confirm(string by, DateTimeOffset now)
    {
        ConfirmedAt ??= now;
        ConfirmedBy ??= by;
    }
}

/// <summary>
/// A member's private key wrapped once more, under one of their passkeys (<see cref="Seal.PasskeyWrapKey"/> of its
/// WebAuthn PRF output), so that signing in with that passkey alone unlocks it. Removing the passkey or replacing the
/// key pair deletes the wrap.
/// </summary>
public sealed class PasskeyWrap
{
    private PasskeyWrap() { }

    public string UserId { get; private set; } = "";
    public byte[] CredentialId { get; private set; } = [];

    /// <summary>nonce (24) ‖ XChaCha20-Poly1305 ciphertext of the private key, bound to the member.</summary>
    public byte[] Wrapped { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }

    internal static PasskeyWrap Create(string userId, byte[] credentialId, byte[] wrapped, DateTimeOffset now)
        => new() { UserId = userId, CredentialId = credentialId, Wrapped = wrapped, CreatedAt = now };
}

/// <summary>Which of a case's two keys: its content, or a confidential reporter's identity (sealed apart, to custodians).</summary>
/// <summary>
/// Which key a copy is of: the case's content key, a confidential reporter's identity key, or (for a case moved onto
/// sealed keys by `keys migrate`, whose reporter has no copy yet) the key the reporter's receipt derives, sealed to a
/// member who holds the content key until that member writes the reporter's copy (<see cref="CaseSealing.AwaitReporterCopyAsync"/>).
/// </summary>
public enum CaseKeyPart { Content = 1, Identity = 2, ReporterKey = 3 }

/// <summary>
/// One sealed copy of a case key for one holder: a member (sealed to their public key), the reporter (encrypted under
/// the key their receipt derives) or the organisation's recovery key. No surrogate id: sequential ids would order
/// anonymous concerns more finely than the hour their times are cut to.
/// </summary>
public sealed class CaseKey
{
    public const string Reporter = "reporter";
    public const string Recovery = "recovery";

    private CaseKey() { }

    public int CaseId { get; private set; }
    public CaseKeyPart Part { get; private set; }

    /// <summary>A member's user id, or <see cref="Reporter"/>, or <see cref="Recovery"/>.</summary>
    public string HolderId { get; private set; } = "";
    public byte[] Sealed { get; private set; } = [];
    public string GrantedBy { get; private set; } = "";
    public DateTimeOffset GrantedAt { get; private set; }

    internal static CaseKey Create(int caseId, CaseKeyPart part, string holderId, byte[] sealedKey, string grantedBy, DateTimeOffset at)
        => new() { CaseId = caseId, Part = part, HolderId = holderId, Sealed = sealedKey, GrantedBy = grantedBy, GrantedAt = at };
}

/// <summary>
/// A queue's group key (#16): an X25519 key pair whose public half a new concern's content key is sealed to once, instead
/// of once per handler, and whose private half is sealed to each handler of the queue who may receive keys
/// (<see cref="QueueKeyCopy"/>). Intake needs nobody signed in: only the public half is used. A version is never
/// changed: when the queue's handlers change, the next concern makes a new one; when a holder loses theirs (removed
/// from the queue, a new key pair), the version is retired, so nothing new is sealed to a key they may have seen.
/// Chairs, assignees, exclusions and screening keep per-member copies.
/// </summary>
public sealed class QueueKey
{
    /// <summary>What every group key's id starts with; a <see cref="CaseKey.HolderId"/> with it is a copy sealed to the group.</summary>
    public const string Prefix = "queue-key:";

    private QueueKey() { }

    /// <summary>Random (no order to infer anonymous concerns' arrival from), prefixed with <see cref="Prefix"/>.</summary>
    public string Id { get; private set; } = "";
    public int QueueId { get; private set; }
    public byte[] PublicKey { get; private set; } = [];
    public bool Retired { get; private set; }

    /// <summary>To the hour: an anonymous concern may have made it.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    public List<QueueKeyCopy> Copies { get; private set; } = [];

    internal static string Context(string id) => $"{id}|private key";

    internal void Retire() => Retired = true;

    internal static QueueKey Create(int queueId, byte[] publicKey, DateTimeOffset at)
        => new() { Id = Prefix + Guid.NewGuid().ToString("N"), QueueId = queueId, PublicKey = publicKey, CreatedAt = Cases.Case.TruncateToHour(at) };
}

/// <summary>A queue group key's private half sealed to one handler's public key.</summary>
public sealed class QueueKeyCopy
{
    private QueueKeyCopy() { }

    public string QueueKeyId { get; private set; } = "";
    public string UserId { get; private set; } = "";
    public byte[] Sealed { get; private set; } = [];

    internal static QueueKeyCopy Create(string queueKeyId, string userId, byte[] sealedKey)
        => new() { QueueKeyId = queueKeyId, UserId = userId, Sealed = sealedKey };
}
