using System.Collections.Concurrent;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Sealing;

/// <summary>Whether the acting member can read a case's content now.</summary>
public enum ContentAccess
{
    Open,
    /// <summary>No copy of the key is sealed to this member yet: a member who holds it grants it (by working on the case, or from the access page).</summary>
    WaitingForGrant,
    /// <summary>A copy is sealed to this member, but their key is not unlocked in this session (a restart, the idle timeout, a passkey sign-in).</summary>
    Locked,
}

/// <summary>A case's keys made at intake: the ciphers to encrypt its content with, and the sealed copies to store.</summary>
public sealed record NewCaseKeys(CaseCipher Content, CaseCipher? Identity, IReadOnlyList<(CaseKeyPart Part, string HolderId, byte[] Sealed)> Copies);

/// <summary>
/// Case keys (#16): a fresh content key per case, sealed to every member who may see it and has their own confirmed
/// key (the queue's handlers through one copy to the queue's group key, <see cref="QueueKey"/>; chairs and assignees
/// each their own), to the reporter (under the key their receipt derives) and to the organisation's recovery key; a
/// confidential reporter's identity under a key of its own, sealed to the chairs only. Grants follow the workflow; a
/// member who can no longer see a case loses their copy at once; erasure deletes every copy.
/// </summary>
public sealed class CaseSealing(KeyChain chain, CaseAccess access, AuditLog audit, TimeProvider time)
{
    internal static string CopyContext(string reference, CaseKeyPart part) => $"case:{reference}|{part} key";

    /// <summary>
    /// The keys of a concern being received (the case is not stored yet; its recipients are computed from the same
    /// rules). The queue's handlers share one copy, sealed to the queue's group key (<see cref="QueueKey"/>), unless the
    /// reporter excluded one of them; chairs get copies of their own. <paramref name="at"/> is the concern's own time.
    /// </summary>
    internal async Task<NewCaseKeys> ForNewCaseAsync(EthicsDbContext db, string reference, string receipt, int queueId, bool screening,
        IReadOnlyList<string> excluded, bool hasIdentity, DateTimeOffset at, CancellationToken ct)
    {
        var contentKey = Seal.NewContentKey();
        var identityKey = hasIdentity ? Seal.NewContentKey() : null;
        var copies = new List<(CaseKeyPart, string, byte[])>();
        var audience = await CaseAccess.AudienceAsync(db, queueId, screening, ct);
        var (chairs, handlers) = (audience.Chairs, audience.Handlers);
        var keys = await EligibleAsync(db, audience.WhoSees(null, excluded), ct);
        // A handler the reporter excluded must not hold the group's key to this case: then everyone gets a copy of their own.
        var group = handlers.Overlaps(excluded) ? [] : keys.Where(k => handlers.Contains(k.UserId) && !chairs.Contains(k.UserId)).ToList();
        var recipients = keys.Except(group).ToList();
        if (group.Count > 0)
        {
            var (groupId, groupPublic) = await QueueKeyForAsync(db, queueId, group, at, ct);
            recipients.Add((groupId, groupPublic));
        }
        var recovery = await RecoveryPublicKeyAsync(db, ct);
        if (recovery is not null)
            recipients.Add((CaseKey.Recovery, recovery));
        var contentCopies = Seal.ToEach(recipients.Select(k => k.PublicKey).ToList(), contentKey, CopyContext(reference, CaseKeyPart.Content));
        copies.AddRange(recipients.Select((k, i) => (CaseKeyPart.Content, k.UserId, contentCopies[i])));
        copies.Add((CaseKeyPart.Content, CaseKey.Reporter,
            Seal.Encrypt(Seal.ReporterKey(receipt, reference), contentKey, CopyContext(reference, CaseKeyPart.Content) + "|reporter")));
        if (identityKey is not null)
        {
            var custodians = keys.Where(k => chairs.Contains(k.UserId)).ToList();
            if (recovery is not null)
                custodians.Add((CaseKey.Recovery, recovery));
            var identityCopies = Seal.ToEach(custodians.Select(k => k.PublicKey).ToList(), identityKey, CopyContext(reference, CaseKeyPart.Identity));
            copies.AddRange(custodians.Select((k, i) => (CaseKeyPart.Identity, k.UserId, identityCopies[i])));
        }
        return new NewCaseKeys(new CaseCipher(reference, contentKey), identityKey is null ? null : new CaseCipher(reference, identityKey), copies);
    }

    /// <summary>
    /// The queue's group key for exactly these handlers: an unretired key sealed to them all and to nobody else, otherwise
    /// a new one, sealed to each of them and added to <paramref name="db"/> (saved with the case).
    /// Only public keys are used: nobody need be signed in.
    /// </summary>
    private static async Task<(string Id, byte[] PublicKey)> QueueKeyForAsync(EthicsDbContext db, int queueId,
        IReadOnlyList<(string UserId, byte[] PublicKey)> handlers, DateTimeOffset at, CancellationToken ct)
    {
        var wanted = handlers.Select(h => h.UserId).ToHashSet(StringComparer.Ordinal);
        // Several concerns received in one unit of work (the demo's history) share the key the first one made.
        var current = db.ChangeTracker.Entries<QueueKey>().Select(e => e.Entity).Where(k => k.QueueId == queueId && !k.Retired).ToList();
        if (current.Count == 0)
            current = await db.QueueKeys.Include(k => k.Copies).Where(k => k.QueueId == queueId && !k.Retired).ToListAsync(ct);
        if (current.FirstOrDefault(k => wanted.SetEquals(k.Copies.Select(c => c.UserId))) is { } same)
            return (same.Id, same.PublicKey);
        // The handlers changed: the keys made for the others are retired (their cases stay sealed to them), saved with the
        // concern, so a concern refused after this point changes nothing.
        foreach (var stale in current)
            stale.Retire();
        using var pair = Seal.NewKeyPair();
        var made = QueueKey.Create(queueId, Seal.PublicKeyOf(pair), at);
        var privateKey = Seal.ExportPrivate(pair);
        try
        {
            var sealedCopies = Seal.ToEach(handlers.Select(h => h.PublicKey).ToList(), privateKey, QueueKey.Context(made.Id));
            made.Copies.AddRange(handlers.Select((h, i) => QueueKeyCopy.Create(made.Id, h.UserId, sealedCopies[i])));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(privateKey);
        }
        db.Add(made);
        return (made.Id, made.PublicKey);
    }

    /// <summary>Stores the copies made by <see cref="ForNewCaseAsync"/> for the case just added (its time is the case's own, to the hour when anonymous).</summary>
    internal static void Store(EthicsDbContext db, int caseId, NewCaseKeys keys, string grantedBy, DateTimeOffset at)
    {
        foreach (var (part, holder, sealedKey) in keys.Copies)
            db.Add(CaseKey.Create(caseId, part, holder, sealedKey, grantedBy, at));
    }

    /// <summary>The copies of case keys a member holds: sealed to them, or to a queue group key whose copy they hold.</summary>
    public static IQueryable<CaseKey> HeldBy(EthicsDbContext db, string userId)
        => db.CaseKeys.Where(k => k.HolderId == userId || db.QueueKeyCopies.Any(q => q.QueueKeyId == k.HolderId && q.UserId == userId));

    /// <summary>The organisation's recovery public key; null until a quorum is set up.</summary>
    internal static Task<byte[]?> RecoveryPublicKeyAsync(EthicsDbContext db, CancellationToken ct)
        => db.RecoveryKeys.AsNoTracking().Where(k => k.Id == RecoveryKey.SingleId).Select(k => k.PublicKey).FirstOrDefaultAsync(ct);

    /// <summary>The members among <paramref name="userIds"/> who may receive keys, with their public keys.</summary>
    private static async Task<List<(string UserId, byte[] PublicKey)>> EligibleAsync(EthicsDbContext db, IReadOnlyCollection<string> userIds, CancellationToken ct)
        => (await db.Set<MemberKey>().AsNoTracking()
                .Where(k => userIds.Contains(k.UserId) && k.OwnSecret && k.ConfirmedAt != null)
                .Select(k => new { k.UserId, k.PublicKey }).ToListAsync(ct))
            .Select(k => (k.UserId, k.PublicKey)).ToList();

    /// <summary>One of a member's copies of a case key: sealed to them, or to a queue group key whose copy they hold (<see cref="GroupCopy"/>).</summary>
    private sealed record HeldCopy(CaseKeyPart Part, string HolderId, byte[] Sealed, byte[]? GroupCopy);

    /// <summary>The member's copies of a case's keys, their own first, in one command.</summary>
    private static async Task<List<HeldCopy>> CopiesAsync(EthicsDbContext db, string userId, int caseId, CaseKeyPart? part, CancellationToken ct)
    {
        var copies = new List<HeldCopy>(2);
        await foreach (var copy in Compiled(CopiesQueries, db, CopiesQuery)(db, caseId, userId).WithCancellation(ct))
        {
            if (part is null || copy.Part == part)
                copies.Add(copy);
        }
        return copies.OrderBy(k => k.GroupCopy is null ? 0 : 1).ToList();
    }

    // Compiled, once per model (a process may hold both providers' models, as the tests do): every case page and action
    // reads it, and EF's per-query work on so large an expression would cost more than the database does.
    private static TQuery Compiled<TQuery>(ConcurrentDictionary<Microsoft.EntityFrameworkCore.Metadata.IModel, TQuery> cache, EthicsDbContext db,
        Func<TQuery> compile) => cache.GetOrAdd(db.Model, _ => compile());

    private static readonly ConcurrentDictionary<Microsoft.EntityFrameworkCore.Metadata.IModel, Func<EthicsDbContext, int, string, IAsyncEnumerable<HeldCopy>>> CopiesQueries = new();

    private static Func<EthicsDbContext, int, string, IAsyncEnumerable<HeldCopy>> CopiesQuery() => EF.CompileAsyncQuery(
        (EthicsDbContext db, int caseId, string userId) => db.CaseKeys.AsNoTracking().Where(k => k.CaseId == caseId)
            .Select(k => new { k.Part, k.HolderId, k.Sealed, Group = db.QueueKeyCopies.Where(q => q.QueueKeyId == k.HolderId && q.UserId == userId).Select(q => q.Sealed).FirstOrDefault() })
            .Where(k => k.HolderId == userId || k.Group != null)
            .Select(k => new HeldCopy(k.Part, k.HolderId, k.Sealed, k.Group)));

    /// <summary>
    /// Opens a copy with the member's private key; through their queue group key when it is sealed to one. Both the group
    /// key and the case key are kept with the member's key in <see cref="KeyChain"/> for the session, and used only when
    /// the query that just found this copy proved the member still holds it.
    /// </summary>
    private byte[]? OpenCopy(string userId, NSec.Cryptography.Key privateKey, int caseId, HeldCopy copy, string context)
    {
        if (chain.CaseKeyFor(userId, caseId, copy.Part, copy.Sealed) is { } known)
            return known;
        var key = copy.GroupCopy is null ? Seal.Open(privateKey, copy.Sealed, context) : OpenThroughGroup(userId, privateKey, copy, context);
        if (key is not null)
            chain.HoldCaseKey(userId, caseId, copy.Part, copy.Sealed, key);
        return key;
    }

    private byte[]? OpenThroughGroup(string userId, NSec.Cryptography.Key privateKey, HeldCopy copy, string context)
    {
        if (chain.GroupKeyFor(userId, copy.HolderId) is not { } groupKey)
        {
            if (Seal.Open(privateKey, copy.GroupCopy!, QueueKey.Context(copy.HolderId)) is not { } raw)
                return null;
            try
            {
                groupKey = Seal.ImportPrivate(raw);
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw);
            }
            chain.HoldGroupKey(userId, copy.HolderId, groupKey);
        }
        return Seal.Open(groupKey, copy.Sealed, context);
    }

    /// <summary>The acting member's key to a case, opened with their unlocked private key; null with the reason.</summary>
    public async Task<(CaseCipher? Cipher, ContentAccess Access)> OpenAsync(EthicsDbContext db, string userId, int caseId, string reference,
        CaseKeyPart part = CaseKeyPart.Content, CancellationToken ct = default)
    {
        var copies = await CopiesAsync(db, userId, caseId, part, ct);
        return Open(userId, caseId, copies.FirstOrDefault(), reference, part);
    }

    private (CaseCipher? Cipher, ContentAccess Access) Open(string userId, int caseId, HeldCopy? copy, string reference, CaseKeyPart part)
    {
        if (copy is null)
            return (null, ContentAccess.WaitingForGrant);
        if (chain.For(userId) is not { } privateKey)
            return (null, ContentAccess.Locked);
        var key = OpenCopy(userId, privateKey, caseId, copy, CopyContext(reference, part));
        return key is null ? (null, ContentAccess.WaitingForGrant) : (new CaseCipher(reference, key), ContentAccess.Open);
    }

    /// <summary>
    /// The case page's read: the viewer's copies (the content key opened, and whether they hold the identity key too) in
    /// one command, and, only when the key opened, whether anyone may be waiting for a grant (<see cref="AnyoneMayWaitAsync"/>),
    /// which the page hands to <see cref="GrantWaitingAndSaveAsync"/>.
    /// </summary>
    public async Task<(CaseCipher? Cipher, ContentAccess Access, bool HoldsIdentityKey, bool AnyoneMayWait)> OpenForPageAsync(EthicsDbContext db,
        string userId, int caseId, string reference, CancellationToken ct)
    {
        var copies = await CopiesAsync(db, userId, caseId, null, ct);
        var (cipher, state) = Open(userId, caseId, copies.FirstOrDefault(k => k.Part == CaseKeyPart.Content), reference, CaseKeyPart.Content);
        var anyoneMayWait = cipher is not null && await AnyoneMayWaitAsync(db, caseId, CaseKeyPart.Content, ct);
        if (cipher is not null && copies.FirstOrDefault(k => k.Part == CaseKeyPart.ReporterKey && k.GroupCopy is null) is { } reporterKey)
            await WriteReporterCopyAsync(db, userId, caseId, cipher, reporterKey.Sealed, ct);
        return (cipher, state, copies.Any(k => k.Part == CaseKeyPart.Identity), anyoneMayWait);
    }

    /// <summary>
    /// `keys migrate` (#16's upgrade): the copies of a case from a build before sealed cases, under its new keys. The
    /// content key goes to every member who may see the case and has a confirmed key of their own (at least the chair
    /// who ran the upgrade), the identity key to the chairs among them, both to recovery once it is set up. No reporter's
    /// copy: the receipt it would come from was never stored, so it waits for the reporter's next visit
    /// (<see cref="AwaitReporterCopyAsync"/>).
    /// </summary>
    internal async Task<List<CaseKey>> ForUpgradeAsync(EthicsDbContext db, int caseId, CaseCipher content, CaseCipher? identity, string grantedBy,
        CancellationToken ct)
    {
        var chairs = (await CaseAccess.UsersInRoleAsync(db, Roles.Chair, ct)).ToHashSet(StringComparer.Ordinal);
        var holders = await EligibleAsync(db, await access.WhoCanSeeAsync(db, caseId, ct), ct);
        if (await RecoveryPublicKeyAsync(db, ct) is { } recovery)
            holders.Add((CaseKey.Recovery, recovery));
        var now = time.GetUtcNow();
        var copies = new List<CaseKey>();
        void SealTo(CaseKeyPart part, CaseCipher cipher, IEnumerable<(string UserId, byte[] PublicKey)> to)
            => copies.AddRange(to.Select(h => CaseKey.Create(caseId, part, h.UserId,
                Seal.To(h.PublicKey, cipher.Key, CopyContext(cipher.Reference, part)), grantedBy, now)));
        SealTo(CaseKeyPart.Content, content, holders);
        if (identity is not null)
            SealTo(CaseKeyPart.Identity, identity, holders.Where(h => chairs.Contains(h.UserId) || h.UserId == CaseKey.Recovery));
        return copies;
    }

    /// <summary>
    /// A case moved by `keys migrate` has no reporter's copy. When its reporter comes back with the receipt, the key it
    /// derives is sealed to the members who hold the case's content key (added to <paramref name="db"/>; the caller saves);
    /// the next of them to open the case writes the reporter's copy. True while the case waits for that.
    /// </summary>
    internal static async Task<bool> AwaitReporterCopyAsync(EthicsDbContext db, Case c, byte[] reporterKey, DateTimeOffset now, CancellationToken ct)
    {
        if (c.ErasedAt is not null || await db.CaseKeys.AnyAsync(k => k.CaseId == c.Id && k.HolderId == CaseKey.Reporter, ct))
            return false;
        if (await db.CaseKeys.AnyAsync(k => k.CaseId == c.Id && k.Part == CaseKeyPart.ReporterKey, ct))
            return true;
        var holders = await db.CaseKeys.Where(k => k.CaseId == c.Id && k.Part == CaseKeyPart.Content)
            .Join(db.MemberKeys, k => k.HolderId, m => m.UserId, (k, m) => new { m.UserId, m.PublicKey }).ToListAsync(ct);
        foreach (var holder in holders)
            db.Add(CaseKey.Create(c.Id, CaseKeyPart.ReporterKey, holder.UserId,
                Seal.To(holder.PublicKey, reporterKey, CopyContext(c.Reference, CaseKeyPart.ReporterKey)), AuditActors.Reporter, Case.ReporterTime(c.Channel, now)));
        return true;
    }

    /// <summary>The reporter's copy of a migrated case, written by a holder who opens it after the reporter came back; then the waiting keys go.</summary>
    private async Task WriteReporterCopyAsync(EthicsDbContext db, string userId, int caseId, CaseCipher cipher, byte[] sealedReporterKey, CancellationToken ct)
    {
        if (chain.For(userId) is not { } privateKey || Seal.Open(privateKey, sealedReporterKey, CopyContext(cipher.Reference, CaseKeyPart.ReporterKey)) is not { } reporterKey)
            return;
        try
        {
            if (!await db.CaseKeys.AnyAsync(k => k.CaseId == caseId && k.HolderId == CaseKey.Reporter, ct))
            {
                // To the hour, like every time that follows a reporter's visit.
                var copy = CaseKey.Create(caseId, CaseKeyPart.Content, CaseKey.Reporter,
                    Seal.Encrypt(reporterKey, cipher.Key, CopyContext(cipher.Reference, CaseKeyPart.Content) + "|reporter"),
                    AuditActors.Staff(userId), Case.TruncateToHour(time.GetUtcNow()));
                db.Add(copy);
                try
                {
                    await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(userId), "case.key-granted", $"case:{cipher.Reference}", "to=reporter")], ct);
                }
                catch (DbUpdateException)
                {
                    // Another holder opened the case at the same moment and wrote it first: theirs stands, the page goes on.
                    db.Entry(copy).State = EntityState.Detached;
                    return;
                }
            }
            await db.CaseKeys.Where(k => k.CaseId == caseId && k.Part == CaseKeyPart.ReporterKey).ExecuteDeleteAsync(ct);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(reporterKey);
        }
    }

    /// <summary>The reporter's key to their case, from the key their receipt derived; null when it does not open.</summary>
    public static async Task<CaseCipher?> OpenForReporterAsync(EthicsDbContext db, int caseId, string reference, byte[] reporterKey, CancellationToken ct)
    {
        var copy = await db.Set<CaseKey>().AsNoTracking().Where(k => k.CaseId == caseId && k.Part == CaseKeyPart.Content && k.HolderId == CaseKey.Reporter)
            .Select(k => k.Sealed).FirstOrDefaultAsync(ct);
        var key = copy is null ? null : Seal.Decrypt(reporterKey, copy, CopyContext(reference, CaseKeyPart.Content) + "|reporter");
        return key is null ? null : new CaseCipher(reference, key);
    }

    /// <summary>
    /// Seals the case key, which <paramref name="cipher"/> holds, to every member who may see the case now, may receive
    /// keys and has no copy yet; adds the copies and their audit records to <paramref name="db"/> (the caller saves).
    /// Identity keys go to chairs only, from a chair who holds one.
    /// </summary>
    internal async Task<List<AuditRecord>> GrantWaitingAsync(EthicsDbContext db, int caseId, CaseCipher cipher, string grantedBy,
        CaseKeyPart part = CaseKeyPart.Content, bool? anyoneMayWait = null, CancellationToken ct = default)
    {
        var records = new List<AuditRecord>();
        if (!(anyoneMayWait ?? await AnyoneMayWaitAsync(db, caseId, part, ct)))
            return records;   // the common case, in one query: every member who may see it holds a copy
        var visible = await access.WhoCanSeeAsync(db, caseId, ct);
        if (part == CaseKeyPart.Identity)
        {
            var chairs = (await CaseAccess.UsersInRoleAsync(db, Roles.Chair, ct)).ToHashSet(StringComparer.Ordinal);
            visible = visible.Where(chairs.Contains).ToList();
        }
        // The holders (their own copies, and the holders of a queue group key it is sealed to) and the recovery key in one
        // command (a UNION): the case page counts its round trips.
        var rows = await db.CaseKeys.Where(k => k.CaseId == caseId && k.Part == part).Select(k => new { k.HolderId, Key = k.Sealed, IsRecoveryKey = false })
            .Concat(db.QueueKeyCopies.Where(q => db.CaseKeys.Any(k => k.CaseId == caseId && k.Part == part && k.HolderId == q.QueueKeyId))
                .Select(q => new { HolderId = q.UserId, Key = q.Sealed, IsRecoveryKey = false }))
            .Concat(db.RecoveryKeys.Where(r => r.Id == RecoveryKey.SingleId).Select(r => new { HolderId = "", Key = r.PublicKey, IsRecoveryKey = true }))
            .ToListAsync(ct);
        var found = new { Holders = rows.Where(r => !r.IsRecoveryKey).Select(r => r.HolderId).ToList(), Recovery = rows.FirstOrDefault(r => r.IsRecoveryKey)?.Key };
        var pending = db.ChangeTracker.Entries<CaseKey>().Where(e => e.Entity.CaseId == caseId && e.Entity.Part == part).Select(e => e.Entity.HolderId);
        var held = found.Holders.Concat(pending).ToHashSet(StringComparer.Ordinal);
        var waiting = visible.Except(held, StringComparer.Ordinal).ToList();
        var now = time.GetUtcNow();
        // A case received before the quorum was set up gets its recovery copy from the first holder who works on it.
        if (!held.Contains(CaseKey.Recovery) && found.Recovery is { } recovery)
        {
            db.Add(CaseKey.Create(caseId, part, CaseKey.Recovery, Seal.To(recovery, cipher.Key, CopyContext(cipher.Reference, part)), AuditActors.Staff(grantedBy), now));
            records.Add(new AuditRecord(AuditActors.Staff(grantedBy), part == CaseKeyPart.Identity ? "case.identity-key-granted" : "case.key-granted",
                $"case:{cipher.Reference}", "to=recovery"));
        }
        if (waiting.Count == 0)
            return records;
        foreach (var (userId, publicKey) in await EligibleAsync(db, waiting, ct))
        {
            db.Add(CaseKey.Create(caseId, part, userId, Seal.To(publicKey, cipher.Key, CopyContext(cipher.Reference, part)), AuditActors.Staff(grantedBy), now));
            records.Add(new AuditRecord(AuditActors.Staff(grantedBy), part == CaseKeyPart.Identity ? "case.identity-key-granted" : "case.key-granted",
                $"case:{cipher.Reference}", $"to=user:{userId}"));
        }
        return records;
    }

    /// <summary>
    /// A quick, generous check before the exact one: does the recovery key lack its copy, or is there a member who may
    /// receive keys, holds no copy, is not excluded, and is a chair, or (once screening is over) in the case's queue or its assignee?
    /// </summary>
    internal static Task<bool> AnyoneMayWaitAsync(EthicsDbContext db, int caseId, CaseKeyPart part, CancellationToken ct)
        => Compiled(MayWaitQueries, db, MayWaitQuery)(db, caseId, part, ct);

    private static readonly ConcurrentDictionary<Microsoft.EntityFrameworkCore.Metadata.IModel, Func<EthicsDbContext, int, CaseKeyPart, CancellationToken, Task<bool>>> MayWaitQueries = new();

    private static Func<EthicsDbContext, int, CaseKeyPart, CancellationToken, Task<bool>> MayWaitQuery() => EF.CompileAsyncQuery(
        (EthicsDbContext db, int caseId, CaseKeyPart part, CancellationToken ct) => db.Cases.Where(c => c.Id == caseId).Any(c =>
            db.RecoveryKeys.Any(r => r.Id == RecoveryKey.SingleId
                && !db.CaseKeys.Any(x => x.CaseId == c.Id && x.Part == part && x.HolderId == CaseKey.Recovery))
            || db.MemberKeys.Any(k => k.OwnSecret && k.ConfirmedAt != null
            && !db.CaseKeys.Any(x => x.CaseId == caseId && x.Part == part
                && (x.HolderId == k.UserId || db.QueueKeyCopies.Any(q => q.QueueKeyId == x.HolderId && q.UserId == k.UserId)))
            && !db.CaseExclusions.Any(x => x.CaseId == caseId && x.UserId == k.UserId)
            && (db.UserRoles.Any(ur => ur.UserId == k.UserId && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Chair))
                || (part == CaseKeyPart.Content && !c.AwaitsScreening
                    && (c.AssigneeUserId == k.UserId || db.QueueMembers.Any(m => m.QueueId == c.QueueId && m.UserId == k.UserId)))))));

    /// <summary>A custodian's approval: the identity's key is sealed to the member who asked (added to db, not saved).</summary>
    internal static async Task<bool> GrantIdentityAsync(EthicsDbContext db, int caseId, CaseCipher identity, string userId, string grantedBy, DateTimeOffset at, CancellationToken ct)
    {
        var eligible = await EligibleAsync(db, [userId], ct);
        if (eligible.Count == 0)
            return false;
        if (!await db.CaseKeys.AnyAsync(k => k.CaseId == caseId && k.Part == CaseKeyPart.Identity && k.HolderId == userId, ct))
            db.Add(CaseKey.Create(caseId, CaseKeyPart.Identity, userId, Seal.To(eligible[0].PublicKey, identity.Key, CopyContext(identity.Reference, CaseKeyPart.Identity)),
                AuditActors.Staff(grantedBy), at));
        return true;
    }

    /// <summary>Grants waiting members and saves, with the audit records, in one transaction; nothing when nobody waits.</summary>
    internal async Task GrantWaitingAndSaveAsync(EthicsDbContext db, int caseId, CaseCipher cipher, string grantedBy, bool? anyoneMayWait,
        CancellationToken ct)
    {
        var records = await GrantWaitingAsync(db, caseId, cipher, grantedBy, CaseKeyPart.Content, anyoneMayWait, ct);
        if (records.Count > 0)
            await audit.SaveChangesAsync(db, records, ct);
    }

    /// <summary>
    /// Deletes the copies held by members who may no longer see the case (excluded, re-routed away, removed from a queue,
    /// a role taken away). Runs in the caller's transaction; the reporter's and recovery's copies stay.
    /// </summary>
    internal async Task<int> PruneCaseAsync(EthicsDbContext db, int caseId, CancellationToken ct)
    {
        var visible = await access.WhoCanSeeAsync(db, caseId, ct);
        var chairs = await CaseAccess.UsersInRoleAsync(db, Roles.Chair, ct);
        var approved = await db.IdentityRequests.Where(r => r.CaseId == caseId && r.Approved == true).Select(r => r.RequesterId).ToListAsync(ct);
        var identityHolders = visible.Intersect(chairs.Concat(approved), StringComparer.Ordinal).ToList();
        var deleted = await db.Set<CaseKey>().Where(k => k.CaseId == caseId && k.HolderId != CaseKey.Reporter && k.HolderId != CaseKey.Recovery
                && !k.HolderId.StartsWith(QueueKey.Prefix)
                && (k.Part != CaseKeyPart.Identity ? !visible.Contains(k.HolderId) : !identityHolders.Contains(k.HolderId)))
            .ExecuteDeleteAsync(ct);
        // A copy sealed to a queue group key goes when any holder of that key may no longer see the case (excluded, the
        // case moved to another queue or back to screening); the others who still may get their own from the next holder.
        return deleted + await db.Set<CaseKey>().Where(k => k.CaseId == caseId && k.HolderId.StartsWith(QueueKey.Prefix)
                && db.QueueKeyCopies.Any(q => q.QueueKeyId == k.HolderId && !visible.Contains(q.UserId)))
            .ExecuteDeleteAsync(ct);
    }

    /// <summary>For changes that touch many cases (queue membership, roles): prunes every copy these members hold.</summary>
    internal async Task<int> PruneMembersAsync(EthicsDbContext db, IEnumerable<string> userIds, CancellationToken ct)
    {
        var deleted = 0;
        foreach (var userId in userIds.Distinct(StringComparer.Ordinal))
        {
            var actor = await access.ActorAsync(db, userId, ct);
            var visible = access.Visible(db, actor).Select(c => c.Id);
            deleted += await db.Set<CaseKey>().Where(k => k.HolderId == userId && (!visible.Contains(k.CaseId)
                    || (k.Part == CaseKeyPart.Identity && !actor.IsChair
                        && !db.IdentityRequests.Any(r => r.CaseId == k.CaseId && r.RequesterId == userId && r.Approved == true)))).ExecuteDeleteAsync(ct);
            // Out of a queue (or no longer a handler): their copies of its group keys go, and those keys are retired.
            var queues = actor.IsHandler ? db.QueueMembers.Where(m => m.UserId == userId).Select(m => m.QueueId) : db.QueueMembers.Where(_ => false).Select(m => m.QueueId);
            deleted += await DropGroupCopiesAsync(db, userId, k => !queues.Contains(k.QueueId), ct);
            // Still in the queue but no longer allowed a case sealed to its group (excluded): that case's group copy goes.
            deleted += await db.Set<CaseKey>().Where(k => k.HolderId.StartsWith(QueueKey.Prefix) && !visible.Contains(k.CaseId)
                && db.QueueKeyCopies.Any(q => q.QueueKeyId == k.HolderId && q.UserId == userId)).ExecuteDeleteAsync(ct);
        }
        return deleted;
    }

    /// <summary>
    /// Deletes a member's copies of the queue group keys that match, and retires those keys: nothing new is sealed to a
    /// key its former holder may have seen. The cases already sealed to it stay readable by its other holders.
    /// </summary>
    internal static async Task<int> DropGroupCopiesAsync(EthicsDbContext db, string userId, System.Linq.Expressions.Expression<Func<QueueKey, bool>> which,
        CancellationToken ct)
    {
        var ids = await db.QueueKeys.Where(which).Where(k => k.Copies.Any(c => c.UserId == userId)).Select(k => k.Id).ToListAsync(ct);
        if (ids.Count == 0)
            return 0;
        await db.QueueKeys.Where(k => ids.Contains(k.Id)).ExecuteUpdateAsync(u => u.SetProperty(k => k.Retired, true), ct);
        return await db.QueueKeyCopies.Where(c => c.UserId == userId && ids.Contains(c.QueueKeyId)).ExecuteDeleteAsync(ct);
    }

    /// <summary>Erasure: every sealed copy of the case's keys goes, so what remains on disk cannot be opened by anyone.</summary>
    internal static Task<int> ShredAsync(EthicsDbContext db, int caseId, CancellationToken ct)
        => db.Set<CaseKey>().Where(k => k.CaseId == caseId).ExecuteDeleteAsync(ct);

    /// <summary>For each case the actor may see, who may see it and receive keys but holds no copy (the chair's list).</summary>
    public async Task<IReadOnlyList<(int CaseId, string Reference, string UserId)>> WaitingAsync(EthicsDbContext db, StaffActor viewer, CancellationToken ct)
    {
        var members = await db.Set<MemberKey>().AsNoTracking().Where(k => k.OwnSecret && k.ConfirmedAt != null).Select(k => k.UserId).ToListAsync(ct);
        var viewable = access.Visible(db, viewer).Select(c => c.Id);
        var result = new List<(int, string, string)>();
        foreach (var userId in members)
        {
            var actor = await access.ActorAsync(db, userId, ct);
            var held = HeldBy(db, userId).Where(k => k.Part == CaseKeyPart.Content).Select(k => k.CaseId);
            var rows = await access.Visible(db, actor)
                .Where(c => c.ErasedAt == null && viewable.Contains(c.Id) && !held.Contains(c.Id))
                .Select(c => new { c.Id, c.Reference }).ToListAsync(ct);
            result.AddRange(rows.Select(r => (r.Id, r.Reference, userId)));
        }
        return result;
    }
}
