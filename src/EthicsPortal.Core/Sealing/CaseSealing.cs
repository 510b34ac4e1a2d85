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
/// key, to the reporter (under the key their receipt derives) and to the organisation's recovery key; a confidential
/// reporter's identity under a key of its own, sealed to the chairs only. Grants follow the workflow; a member who can
/// no longer see a case loses their copy at once; erasure deletes every copy.
/// </summary>
public sealed class CaseSealing(KeyChain chain, CaseAccess access, AuditLog audit, TimeProvider time)
{
    internal static string CopyContext(string reference, CaseKeyPart part) => $"case:{reference}|{part} key";

    /// <summary>The keys of a concern being received (the case is not stored yet; its recipients are computed from the same rules).</summary>
    internal async Task<NewCaseKeys> ForNewCaseAsync(EthicsDbContext db, string reference, string receipt, int queueId, bool screening,
        IReadOnlyList<string> excluded, bool hasIdentity, CancellationToken ct)
    {
        var contentKey = Seal.NewContentKey();
        var identityKey = hasIdentity ? Seal.NewContentKey() : null;
        var copies = new List<(CaseKeyPart, string, byte[])>();
        var members = await access.WhoCouldSeeAsync(db, queueId, null, screening, excluded, ct);
        var keys = await EligibleAsync(db, members, ct);
        var recovery = await RecoveryPublicKeyAsync(db, ct);
        if (recovery is not null)
            keys.Add((CaseKey.Recovery, recovery));
        var contentCopies = Seal.ToEach(keys.Select(k => k.PublicKey).ToList(), contentKey, CopyContext(reference, CaseKeyPart.Content));
        copies.AddRange(keys.Select((k, i) => (CaseKeyPart.Content, k.UserId, contentCopies[i])));
        copies.Add((CaseKeyPart.Content, CaseKey.Reporter,
            Seal.Encrypt(Seal.ReporterKey(receipt, reference), contentKey, CopyContext(reference, CaseKeyPart.Content) + "|reporter")));
        if (identityKey is not null)
        {
            var chairs = (await CaseAccess.UsersInRoleAsync(db, Roles.Chair, ct)).ToHashSet(StringComparer.Ordinal);
            chairs.Add(CaseKey.Recovery);
            foreach (var (userId, publicKey) in keys.Where(k => chairs.Contains(k.UserId)))
                copies.Add((CaseKeyPart.Identity, userId, Seal.To(publicKey, identityKey, CopyContext(reference, CaseKeyPart.Identity))));
        }
        return new NewCaseKeys(new CaseCipher(reference, contentKey), identityKey is null ? null : new CaseCipher(reference, identityKey), copies);
    }

    /// <summary>Stores the copies made by <see cref="ForNewCaseAsync"/> for the case just added (its time is the case's own, to the hour when anonymous).</summary>
    internal static void Store(EthicsDbContext db, int caseId, NewCaseKeys keys, string grantedBy, DateTimeOffset at)
    {
        foreach (var (part, holder, sealedKey) in keys.Copies)
            db.Add(CaseKey.Create(caseId, part, holder, sealedKey, grantedBy, at));
    }

    /// <summary>The organisation's recovery public key; null until a quorum is set up.</summary>
    internal static Task<byte[]?> RecoveryPublicKeyAsync(EthicsDbContext db, CancellationToken ct)
        => db.RecoveryKeys.AsNoTracking().Where(k => k.Id == RecoveryKey.SingleId).Select(k => k.PublicKey).FirstOrDefaultAsync(ct);

    /// <summary>The members among <paramref name="userIds"/> who may receive keys, with their public keys.</summary>
    private static async Task<List<(string UserId, byte[] PublicKey)>> EligibleAsync(EthicsDbContext db, IReadOnlyCollection<string> userIds, CancellationToken ct)
        => (await db.Set<MemberKey>().AsNoTracking()
                .Where(k => userIds.Contains(k.UserId) && k.OwnSecret && k.ConfirmedAt != null)
                .Select(k => new { k.UserId, k.PublicKey }).ToListAsync(ct))
            .Select(k => (k.UserId, k.PublicKey)).ToList();

    /// <summary>The acting member's key to a case, opened with their unlocked private key; null with the reason.</summary>
    public async Task<(CaseCipher? Cipher, ContentAccess Access)> OpenAsync(EthicsDbContext db, string userId, int caseId, string reference,
        CaseKeyPart part = CaseKeyPart.Content, CancellationToken ct = default)
    {
        var copy = await db.Set<CaseKey>().AsNoTracking().Where(k => k.CaseId == caseId && k.Part == part && k.HolderId == userId)
            .Select(k => k.Sealed).FirstOrDefaultAsync(ct);
        if (copy is null)
            return (null, ContentAccess.WaitingForGrant);
        if (chain.For(userId) is not { } privateKey)
            return (null, ContentAccess.Locked);
        var key = Seal.Open(privateKey, copy, CopyContext(reference, part));
        return key is null ? (null, ContentAccess.WaitingForGrant) : (new CaseCipher(reference, key), ContentAccess.Open);
    }

    /// <summary>The case page's read: the content key opened, and whether the viewer holds the identity key too, in one query.</summary>
    public async Task<(CaseCipher? Cipher, ContentAccess Access, bool HoldsIdentityKey)> OpenForPageAsync(EthicsDbContext db, string userId, int caseId,
        string reference, CancellationToken ct)
    {
        var copies = await db.Set<CaseKey>().AsNoTracking().Where(k => k.CaseId == caseId && k.HolderId == userId)
            .Select(k => new { k.Part, k.Sealed }).ToListAsync(ct);
        var holdsIdentity = copies.Any(k => k.Part == CaseKeyPart.Identity);
        if (copies.FirstOrDefault(k => k.Part == CaseKeyPart.Content) is not { } copy)
            return (null, ContentAccess.WaitingForGrant, holdsIdentity);
        if (chain.For(userId) is not { } privateKey)
            return (null, ContentAccess.Locked, holdsIdentity);
        var key = Seal.Open(privateKey, copy.Sealed, CopyContext(reference, CaseKeyPart.Content));
        return key is null ? (null, ContentAccess.WaitingForGrant, holdsIdentity) : (new CaseCipher(reference, key), ContentAccess.Open, holdsIdentity);
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
        CaseKeyPart part = CaseKeyPart.Content, CancellationToken ct = default)
    {
        var records = new List<AuditRecord>();
        if (!await AnyoneMayWaitAsync(db, caseId, part, ct))
            return records;   // the common case, in one query: every member who may see it holds a copy
        var visible = await access.WhoCanSeeAsync(db, caseId, ct);
        if (part == CaseKeyPart.Identity)
        {
            var chairs = (await CaseAccess.UsersInRoleAsync(db, Roles.Chair, ct)).ToHashSet(StringComparer.Ordinal);
            visible = visible.Where(chairs.Contains).ToList();
        }
        // The holders and the recovery key in one command (a UNION): the case page counts its round trips.
        var rows = await db.CaseKeys.Where(k => k.CaseId == caseId && k.Part == part).Select(k => new { k.HolderId, Key = k.Sealed, IsRecoveryKey = false })
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
        => db.Cases.Where(c => c.Id == caseId).AnyAsync(c => db.RecoveryKeys.Any(r => r.Id == RecoveryKey.SingleId
                && !db.CaseKeys.Any(x => x.CaseId == c.Id && x.Part == part && x.HolderId == CaseKey.Recovery))
            || db.MemberKeys.Any(k => k.OwnSecret && k.ConfirmedAt != null
            && !db.CaseKeys.Any(x => x.CaseId == caseId && x.Part == part && x.HolderId == k.UserId)
            && !db.CaseExclusions.Any(x => x.CaseId == caseId && x.UserId == k.UserId)
            && (db.UserRoles.Any(ur => ur.UserId == k.UserId && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Chair))
                || (part == CaseKeyPart.Content && !c.AwaitsScreening
                    && (c.AssigneeUserId == k.UserId || db.QueueMembers.Any(m => m.QueueId == c.QueueId && m.UserId == k.UserId))))), ct);

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
    internal async Task GrantWaitingAndSaveAsync(EthicsDbContext db, int caseId, CaseCipher cipher, string grantedBy, CancellationToken ct)
    {
        var records = await GrantWaitingAsync(db, caseId, cipher, grantedBy, CaseKeyPart.Content, ct);
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
        return await db.Set<CaseKey>().Where(k => k.CaseId == caseId && k.HolderId != CaseKey.Reporter && k.HolderId != CaseKey.Recovery
                && (k.Part == CaseKeyPart.Content ? !visible.Contains(k.HolderId) : !identityHolders.Contains(k.HolderId)))
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
        }
        return deleted;
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
            var rows = await access.Visible(db, actor)
                .Where(c => c.ErasedAt == null && viewable.Contains(c.Id) && !db.Set<CaseKey>().Any(k => k.CaseId == c.Id && k.Part == CaseKeyPart.Content && k.HolderId == userId))
                .Select(c => new { c.Id, c.Reference }).ToListAsync(ct);
            result.AddRange(rows.Select(r => (r.Id, r.Reference, userId)));
        }
        return result;
    }
}
