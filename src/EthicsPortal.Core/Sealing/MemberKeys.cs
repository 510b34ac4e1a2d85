using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.Sealing;

public enum UnlockOutcome { Unlocked, WrongSecret, NoKey }

/// <summary>What a member types to unlock their key: their password, or (single sign-on, no password here) an unlock passphrase.</summary>
public enum UnlockSecret { Password, Passphrase, NoPassphrase }

/// <summary>A member as the chair's access page shows them.</summary>
public sealed record MemberKeyState(string UserId, string DisplayName, bool IsChair, bool OwnSecret, bool Confirmed, bool Unlocked);

/// <summary>
/// Members' key pairs: made with the account (or at first sign-in), wrapped under Argon2id of the password, unlocked into
/// the <see cref="KeyChain"/> at sign-in, re-wrapped when the password changes, confirmed by a chair.
/// </summary>
public sealed class MemberKeys(
    IDbContextFactory<EthicsDbContext> contexts,
    KeyChain chain,
    CaseAccess access,
    IOptions<SecretWrapOptions> wrap,
    AuditLog audit,
    TimeProvider time)
{
    /// <summary>The wrap of the member's typed secret: the password, or for a single sign-on account the unlock passphrase.</summary>
    internal static string PasswordContext(string userId) => $"member:{userId}|password";

    internal static string PasskeyContext(string userId) => $"member:{userId}|passkey";

    /// <summary>A new key pair for an account, wrapped under its password (added to <paramref name="db"/>, not saved).</summary>
    internal MemberKey Create(EthicsDbContext db, string userId, string password, bool ownSecret)
    {
        using var pair = Seal.NewKeyPair();
        var key = MemberKey.Create(userId, Seal.PublicKeyOf(pair),
            SecretWrap.Wrap(Seal.ExportPrivate(pair), password, wrap.Value, PasswordContext(userId)), ownSecret, time.GetUtcNow());
        db.Add(key);
        return key;
    }

    /// <summary>
    /// At sign-in with a password: unwraps the member's private key and holds it for the session (or, before the second
    /// factor, pending). An account without a key pair yet (made before sealing, or by single sign-on) gets one here.
    /// </summary>
    /// <remarks>Call it only with a password the sign-in has just verified: a missing key pair is made from it.</remarks>
    public async Task<UnlockOutcome> UnlockAsync(string userId, string password, bool pending = false, CancellationToken ct = default)
        => await UnlockCoreAsync(userId, password, pending, verifiedPassword: true, ct);

    /// <summary>
    /// The case page's "Unlock": a member whose key is not in this instance's memory (a restart, the idle timeout, a
    /// passkey sign-in) types their password again. Audited either way; the Argon2id cost paces guessing.
    /// </summary>
    public async Task<Result> UnlockForSessionAsync(string userId, string? password, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(password))
            return Error.Validation("Enter your password (with single sign-on, your unlock passphrase).");
        var outcome = await UnlockCoreAsync(userId, password, pending: false, verifiedPassword: false, ct);
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(userId), outcome == UnlockOutcome.Unlocked ? "keys.unlocked" : "keys.unlock-failed",
            $"user:{userId}"), ct);
        return outcome switch
        {
            UnlockOutcome.Unlocked => Result.Ok(),
            UnlockOutcome.NoKey => Error.Validation("Your account has no key to unlock yet: sign out and sign in again with your password."),
            _ => Error.Validation("That does not unlock your key. Check it and try again."),
        };
    }

    /// <summary>
    /// Whether <paramref name="secret"/> opens the member's key: how a single sign-on account, which has no password here,
    /// confirms it is them before revealing an identity. The Argon2id cost paces guessing; the caller counts failures.
    /// </summary>
    public async Task<bool> OpensKeyAsync(string userId, string? secret, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(secret))
            return false;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var wrapped = await db.Set<MemberKey>().AsNoTracking().Where(k => k.UserId == userId).Select(k => k.PasswordWrap).FirstOrDefaultAsync(ct);
        var raw = wrapped is null ? null : SecretWrap.Unwrap(wrapped, secret, PasswordContext(userId));
        if (raw is null)
            return false;
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw);
        return true;
    }

    /// <summary>Which secret the case page asks this member for.</summary>
    public async Task<UnlockSecret> SecretKindAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.Users.AnyAsync(u => u.Id == userId && u.PasswordHash != null, ct))
            return UnlockSecret.Password;
        return await db.Set<MemberKey>().AnyAsync(k => k.UserId == userId && k.PasswordWrap != null, ct) ? UnlockSecret.Passphrase : UnlockSecret.NoPassphrase;
    }

    /// <summary>
    /// A single sign-on account has no password here to wrap its key under, so its owner chooses an unlock passphrase:
    /// the first one makes the key pair (a chair then confirms the member); a change needs the current one; a member who
    /// forgot it starts over with a new key pair, which loses every copy sealed to the old one until regranted.
    /// </summary>
    public async Task<Result> SetPassphraseAsync(string userId, string? current, string? passphrase, bool startOver, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
            return Error.NotFound("No such account.");
        if (user.PasswordHash is not null)
            return Error.Validation("Your key opens with your password: change that on the password page.");
        var check = NistPasswordValidator.Validate(passphrase ?? "");
        if (!check.Succeeded)
            return Error.Validation(check.Errors.First().Description);
        var key = await db.Set<MemberKey>().FirstOrDefaultAsync(k => k.UserId == userId, ct);
        string action;
        if (key is null)
        {
            key = Create(db, userId, passphrase!, ownSecret: true);
            action = "keys.created";
        }
        else if (key.PasswordWrap is null || startOver)
        {
            await ReplaceAsync(db, key, passphrase!, ownSecret: true, ct);
            action = "keys.replaced";
        }
        else
        {
            if (string.IsNullOrEmpty(current))
                return Error.Validation("Enter your current unlock passphrase, or choose to start over if you forgot it.");
            var raw = SecretWrap.Unwrap(key.PasswordWrap, current, PasswordContext(userId));
            if (raw is null)
            {
                await audit.AppendAsync(new AuditRecord(AuditActors.Staff(userId), "keys.unlock-failed", $"user:{userId}", "passphrase change"), ct);
                return Error.Validation("Your current unlock passphrase is not right.");
            }
            if (current == passphrase)
                return Error.Validation("Choose a passphrase different from the current one.");
            key.Rewrap(SecretWrap.Wrap(raw, passphrase!, wrap.Value, PasswordContext(userId)), ownSecret: true);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw);
            action = "keys.passphrase-changed";
        }
        await ConfirmFirstAsync(db, key, ct);
        await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(userId), action, $"user:{userId}", "unlock passphrase")], ct);
        // Unlocked for this session by what was just chosen (only after the change is stored).
        await UnlockCoreAsync(userId, passphrase!, pending: false, verifiedPassword: false, ct);
        return Result.Ok();
    }

    /// <summary>
    /// At sign-in with a passkey that gave a WebAuthn PRF output: opens the member's key from that passkey's wrap. A passkey
    /// without a wrap yet wraps the key now if it is unlocked here, or at the member's next unlock in this session.
    /// </summary>
    public async Task<UnlockOutcome> UnlockWithPasskeyAsync(string userId, byte[] credentialId, byte[]? prfOutput, CancellationToken ct = default)
    {
        if (prfOutput is not { Length: Seal.PrfOutputSize })
            return UnlockOutcome.NoKey;   // the authenticator offers no PRF: the member unlocks with their secret
        var wrapKey = Seal.PasskeyWrapKey(prfOutput, credentialId, userId);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var wrapped = await db.Set<PasskeyWrap>().AsNoTracking()
            .Where(w => w.UserId == userId && w.CredentialId == credentialId).Select(w => w.Wrapped).FirstOrDefaultAsync(ct);
        if (wrapped is null)
        {
            await EnrolCoreAsync(db, userId, credentialId, wrapKey, ct);
            return chain.IsUnlocked(userId) ? UnlockOutcome.Unlocked : UnlockOutcome.NoKey;
        }
        var raw = Seal.Decrypt(wrapKey, wrapped, PasskeyContext(userId));
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(wrapKey);
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(userId), raw is null ? "keys.unlock-failed" : "keys.unlocked", $"user:{userId}", "passkey"), ct);
        if (raw is null)
            return UnlockOutcome.WrongSecret;
        chain.Hold(userId, Seal.ImportPrivate(raw));
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw);
        return UnlockOutcome.Unlocked;
    }

    /// <summary>A passkey was just added: its wrap is made now if the key is unlocked here, else at the next unlock this session.</summary>
    public async Task EnrolPasskeyAsync(string userId, byte[] credentialId, byte[]? prfOutput, CancellationToken ct = default)
    {
        if (prfOutput is not { Length: Seal.PrfOutputSize })
            return;
        await using var db = await contexts.CreateDbContextAsync(ct);
        await EnrolCoreAsync(db, userId, credentialId, Seal.PasskeyWrapKey(prfOutput, credentialId, userId), ct);
    }

    /// <summary>A removed passkey unlocks nothing more: its wrap is deleted (before the passkey itself).</summary>
    public async Task ForgetPasskeyAsync(string userId, byte[] credentialId, CancellationToken ct = default)
    {
        chain.TakeEnrolment(userId);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Set<PasskeyWrap>().Where(w => w.UserId == userId && w.CredentialId == credentialId).ExecuteDeleteAsync(ct);
    }

    /// <summary>The credential ids of the member's passkeys that unlock their key.</summary>
    public async Task<IReadOnlyList<byte[]>> PasskeysThatUnlockAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<PasskeyWrap>().AsNoTracking().Where(w => w.UserId == userId).Select(w => w.CredentialId).ToListAsync(ct);
    }

    private async Task EnrolCoreAsync(EthicsDbContext db, string userId, byte[] credentialId, byte[] wrapKey, CancellationToken ct)
    {
        if (chain.For(userId) is { } key)
            await WrapForPasskeyAsync(db, userId, key, credentialId, wrapKey, ct);
        else
            chain.HoldEnrolment(userId, credentialId, wrapKey);
    }

    private async Task WrapForPasskeyAsync(EthicsDbContext db, string userId, NSec.Cryptography.Key key, byte[] credentialId, byte[] wrapKey, CancellationToken ct)
    {
        var raw = Seal.ExportPrivate(key);
        try
        {
            if (!await db.Set<MemberKey>().AnyAsync(k => k.UserId == userId, ct)
                || await db.Set<PasskeyWrap>().AnyAsync(w => w.UserId == userId && w.CredentialId == credentialId, ct))
                return;
            db.Add(PasskeyWrap.Create(userId, credentialId, Seal.Encrypt(wrapKey, raw, PasskeyContext(userId)), time.GetUtcNow()));
            await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(userId), "keys.passkey-wrapped", $"user:{userId}")], ct);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(wrapKey);
        }
    }

    private async Task<UnlockOutcome> UnlockCoreAsync(string userId, string password, bool pending, bool verifiedPassword, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var key = await db.Set<MemberKey>().FirstOrDefaultAsync(k => k.UserId == userId, ct);
        if (key is null && !verifiedPassword)
            return UnlockOutcome.NoKey;
        if (key is null)
        {
            var mustChange = await db.UserClaims.AnyAsync(c => c.UserId == userId && c.ClaimType == StaffClaims.MustChangePassword, ct);
            key = Create(db, userId, password, ownSecret: !mustChange);
            await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(userId), "keys.created", $"user:{userId}")], ct);
        }
        if (key.PasswordWrap is null)
            return UnlockOutcome.NoKey;
        var raw = SecretWrap.Unwrap(key.PasswordWrap, password, PasswordContext(userId));
        if (raw is null)
            return UnlockOutcome.WrongSecret;
        var opened = Seal.ImportPrivate(raw);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw);
        if (pending)
            chain.HoldPending(userId, opened);
        else
            chain.Hold(userId, opened);
        // A passkey used in this session before the key was open wraps it now, so next time it unlocks alone.
        if (!pending && chain.TakeEnrolment(userId) is { } enrolment)
            await WrapForPasskeyAsync(db, userId, opened, enrolment.CredentialId, enrolment.WrapKey, ct);
        return UnlockOutcome.Unlocked;
    }

    /// <summary>
    /// Re-wraps the private key under a new password the member chose (in <paramref name="db"/>'s transaction). When the
    /// old one no longer opens it, a new key pair replaces it and every copy sealed to the old one is deleted.
    /// </summary>
    internal async Task RewrapAsync(EthicsDbContext db, string userId, string currentPassword, string newPassword, CancellationToken ct)
    {
        var key = await db.Set<MemberKey>().FirstOrDefaultAsync(k => k.UserId == userId, ct);
        var raw = key?.PasswordWrap is { } wrapped ? SecretWrap.Unwrap(wrapped, currentPassword, PasswordContext(userId)) : null;
        if (key is null)
            key = Create(db, userId, newPassword, ownSecret: true);
        else if (raw is not null)
            key.Rewrap(SecretWrap.Wrap(raw, newPassword, wrap.Value, PasswordContext(userId)), ownSecret: true);
        else
            await ReplaceAsync(db, key, newPassword, ownSecret: true, ct);
        if (raw is not null)
        {
            chain.Hold(userId, Seal.ImportPrivate(raw));
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw);
        }
        await ConfirmFirstAsync(db, key, ct);
    }

    /// <summary>
    /// A password someone else set (an Admin's reset): nobody can re-wrap the old key, so a new pair replaces it, every
    /// copy sealed to the old one is deleted, and the new one receives nothing until its owner chooses their own password
    /// and a chair (or the recovery quorum) confirms them again.
    /// </summary>
    internal async Task ResetAsync(EthicsDbContext db, string userId, string password, CancellationToken ct)
    {
        var key = await db.Set<MemberKey>().FirstOrDefaultAsync(k => k.UserId == userId, ct);
        if (key is null)
            Create(db, userId, password, ownSecret: false);
        else
            await ReplaceAsync(db, key, password, ownSecret: false, ct);
    }

    private async Task ReplaceAsync(EthicsDbContext db, MemberKey key, string password, bool ownSecret, CancellationToken ct)
    {
        using var pair = Seal.NewKeyPair();
        key.Replace(Seal.PublicKeyOf(pair), SecretWrap.Wrap(Seal.ExportPrivate(pair), password, wrap.Value, PasswordContext(key.UserId)), ownSecret);
        // A new key pair is vouched for again: after an Admin's reset, whoever next chooses the password holds the
        // account, so a chair (or the recovery quorum) confirms that it is still the member before anything is sealed to it.
        key.Unconfirm();
        await db.Set<CaseKey>().Where(k => k.HolderId == key.UserId).ExecuteDeleteAsync(ct);
        await CaseSealing.DropGroupCopiesAsync(db, key.UserId, _ => true, ct);
        await db.Set<PasskeyWrap>().Where(w => w.UserId == key.UserId).ExecuteDeleteAsync(ct);
        chain.Drop(key.UserId);
    }

    /// <summary>
    /// The first committee member to hold their own secret, while no member is confirmed, is confirmed by the set-up
    /// itself: someone must be able to open the first concerns. Every later member waits for a chair.
    /// </summary>
    private async Task ConfirmFirstAsync(EthicsDbContext db, MemberKey key, CancellationToken ct)
    {
        if (key.ConfirmedAt is not null || !(await access.ActorAsync(db, key.UserId, ct)).IsCommittee)
            return;
        if (!await db.Set<MemberKey>().AnyAsync(k => k.ConfirmedAt != null && k.UserId != key.UserId
                && db.UserRoles.Any(ur => ur.UserId == k.UserId && db.Roles.Any(r => r.Id == ur.RoleId && (r.Name == Roles.Chair || r.Name == Roles.Handler))), ct))
            key.Confirm(AuditActors.System, time.GetUtcNow());
    }

    /// <summary>An account that joins the committee by an Admin's role change waits for a chair, whatever it was before.</summary>
    internal async Task UnconfirmAsync(EthicsDbContext db, string userId, CancellationToken ct)
    {
        if (await db.Set<MemberKey>().FirstOrDefaultAsync(k => k.UserId == userId, ct) is { } key)
            key.Unconfirm();
    }

    /// <summary>For the portal's own set-up (first Admin, demo, tests' committees): the account is vouched for.</summary>
    internal static void ConfirmForSetup(MemberKey key, DateTimeOffset now) => key.Confirm(AuditActors.System, now);

    /// <summary>A chair who holds keys confirms a member; only then may keys be sealed to them.</summary>
    internal async Task<Result> ConfirmAsync(EthicsDbContext db, string chairId, string userId, CancellationToken ct)
    {
        var chair = await access.ActorAsync(db, chairId, ct);
        var chairKey = await db.Set<MemberKey>().AsNoTracking().FirstOrDefaultAsync(k => k.UserId == chairId, ct);
        if (!chair.IsChair || chairKey is not { ConfirmedAt: not null })
            return Error.Forbidden("Only a confirmed chair confirms members.");
        var key = await db.Set<MemberKey>().FirstOrDefaultAsync(k => k.UserId == userId, ct);
        if (key is null || !(await access.ActorAsync(db, userId, ct)).IsCommittee)
            return Error.NotFound("This account is not a committee member with a key yet: they sign in once to make one.");
        if (key.ConfirmedAt is not null)
            return Result.Ok();
        key.Confirm(AuditActors.Staff(chairId), time.GetUtcNow());
        return Result.Ok();
    }

    public async Task<IReadOnlyList<MemberKeyState>> CommitteeAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var chairs = (await CaseAccess.UsersInRoleAsync(db, Roles.Chair, ct)).ToHashSet(StringComparer.Ordinal);
        var handlers = await CaseAccess.UsersInRoleAsync(db, Roles.Handler, ct);
        var ids = chairs.Concat(handlers).ToHashSet(StringComparer.Ordinal);
        var keys = await db.Set<MemberKey>().AsNoTracking().Where(k => ids.Contains(k.UserId)).ToDictionaryAsync(k => k.UserId, ct);
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return ids.Where(names.ContainsKey).Select(id => new MemberKeyState(id, names[id], chairs.Contains(id),
                keys.TryGetValue(id, out var k) && k.OwnSecret, k?.ConfirmedAt is not null, chain.IsUnlocked(id)))
            .OrderBy(m => m.DisplayName, StringComparer.CurrentCulture).ToList();
    }

    public bool IsUnlocked(string userId) => chain.IsUnlocked(userId);

    public void Lock(string userId) => chain.Drop(userId);
}
