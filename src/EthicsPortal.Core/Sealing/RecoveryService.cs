using System.Security.Cryptography;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Sealing;

public sealed record RecoveryStatus(bool SetUp, int Threshold, IReadOnlyList<string> Custodians, DateTimeOffset? CreatedAt, string? CreatedBy,
    int CasesWithoutCopy)
{
    public static readonly RecoveryStatus None = new(false, 0, [], null, null, 0);

    /// <summary>"2 of 3: Ada, Bo, Cy".</summary>
    public string Summary => $"{Threshold} of {Custodians.Count}: {string.Join(", ", Custodians)}";
}

/// <summary>A custodian's code, shown once at set-up to print; the portal keeps only the public key it derives.</summary>
public sealed record CustodianCode(int Position, string Name, string Code);

/// <summary>What a recovery did: the custodians whose codes were used, the members restored and the keys sealed to them.</summary>
public sealed record RecoveryOutcome(IReadOnlyList<string> Custodians, IReadOnlyList<string> Members, int Keys);

/// <summary>
/// The recovery quorum (#16 promise 6). At set-up a chair names N custodians (the chair, the DPO, a board member…) and a
/// threshold M ≥ 2; the portal makes the organisation's recovery key pair and one code per custodian, shown once, and
/// seals the recovery private key, nested, to every set of M custodians' code-derived keys (<see cref="Quorum"/>).
/// Every concern is sealed to the recovery public key at intake, and the chair's own cases at set-up. With M codes typed
/// together, the quorum restores one member's access (after a reset or a forgotten password) or the whole committee's;
/// M-1 codes open nothing. Every attempt is audited with the custodians who took part.
/// </summary>
public sealed class RecoveryService(
    IDbContextFactory<EthicsDbContext> contexts, CaseAccess access, KeyChain chain, AuditLog audit, TimeProvider time)
{
    public const int NameMaxLength = 100;
    public const int MinCustodians = 2;
    public const int MaxCustodians = 7;   // 35 nested seals for 3 of 7; the scheme is meant for small N
    public const int MinThreshold = 2;    // no single person recovers
    public const int CodeRandomBytes = 20; // 160 bits
    public const int CodeLength = 32;
    internal const string PrivateKeyContext = "recovery:organisation key";
    private const string ChairsOnly = "Only the chair sets up and uses the recovery quorum.";

    /// <summary>For the chair's and the Admin's pages: whether a quorum exists, and who its custodians are.</summary>
    public async Task<Result<RecoveryStatus>> StatusAsync(string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, actorId, ct);
        if (!actor.IsChair && !await CaseAccess.HasRoleAsync(db, actorId, Roles.Admin, ct))
            return Error.Forbidden(ChairsOnly);
        return await StatusCoreAsync(db, ct);
    }

    private static async Task<RecoveryStatus> StatusCoreAsync(EthicsDbContext db, CancellationToken ct)
    {
        var key = await db.RecoveryKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == RecoveryKey.SingleId, ct);
        if (key is null)
            return RecoveryStatus.None;
        var names = await db.RecoveryCustodians.AsNoTracking().OrderBy(c => c.Position).Select(c => c.Name).ToListAsync(ct);
        var createdBy = key.CreatedBy.StartsWith("staff:", StringComparison.Ordinal)
            ? await db.Users.Where(u => u.Id == key.CreatedBy.Substring(6)).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;
        var without = await db.Cases.CountAsync(c => c.ErasedAt == null
            && !db.CaseKeys.Any(k => k.CaseId == c.Id && k.Part == CaseKeyPart.Content && k.HolderId == CaseKey.Recovery), ct);
        return new RecoveryStatus(true, key.Threshold, names, key.CreatedAt, createdBy ?? key.CreatedBy, without);
    }

    /// <summary>
    /// Sets the quorum up once: the codes come back to be shown and printed, and are kept nowhere. The chair's unlocked
    /// key seals every case they hold to the new recovery key in the same transaction; the others get their copy when a
    /// holder next works on them.
    /// </summary>
    public async Task<Result<IReadOnlyList<CustodianCode>>> SetUpAsync(string actorId, int threshold, IReadOnlyList<string> custodianNames, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, actorId, ct);
        var own = await db.MemberKeys.AsNoTracking().FirstOrDefaultAsync(k => k.UserId == actorId, ct);
        if (!actor.IsChair || own is not { ConfirmedAt: not null, OwnSecret: true })
            return Error.Forbidden("Only a confirmed chair sets up the recovery quorum.");
        if (chain.For(actorId) is not { } chairKey)
            return Error.Validation(SealedText.Locked);
        if (CheckQuorum(threshold, custodianNames, out var names) is { } invalid)
            return invalid;
        if (await db.RecoveryKeys.AnyAsync(ct))
            return Error.Validation("A recovery quorum is set up already.");

        using var recovery = Seal.NewKeyPair();
        var recoveryPublic = Seal.PublicKeyOf(recovery);
        var (codes, custodianKeys, shares) = Deal(Seal.ExportPrivate(recovery), names, threshold);

        var now = time.GetUtcNow();
        var result = await audit.ExecuteAsync(db, async _ =>
        {
            db.Add(RecoveryKey.Create(recoveryPublic, threshold, AuditActors.Staff(actorId), now));
            db.AddRange(codes.Select((c, i) => RecoveryCustodian.Create(c.Position, c.Name, custodianKeys[i])));
            db.AddRange(shares.Select(RecoveryShare.From));
            var sealedCount = 0;
            var held = await db.CaseKeys.AsNoTracking().Where(k => k.HolderId == actorId && k.Part != CaseKeyPart.ReporterKey
                    && !db.CaseKeys.Any(r => r.CaseId == k.CaseId && r.Part == k.Part && r.HolderId == CaseKey.Recovery))
                .Join(db.Cases, k => k.CaseId, c => c.Id, (k, c) => new { k.CaseId, k.Part, k.Sealed, c.Reference }).ToListAsync(ct);
            foreach (var copy in held)
            {
                var context = CaseSealing.CopyContext(copy.Reference, copy.Part);
                if (Seal.Open(chairKey, copy.Sealed, context) is not { } caseKey)
                    continue;
                db.Add(CaseKey.Create(copy.CaseId, copy.Part, CaseKey.Recovery, Seal.To(recoveryPublic, caseKey, context), AuditActors.Staff(actorId), now));
                CryptographicOperations.ZeroMemory(caseKey);
                sealedCount++;
            }
            return (Result.Ok(), [new AuditRecord(AuditActors.Staff(actorId), "recovery.set-up", "recovery",
                $"quorum={threshold} of {names.Count}; custodians={string.Join(", ", names)}; keys={sealedCount}")]);
        }, ct);
        return result.Succeeded ? codes : result.Error!;
    }

    /// <summary>Names trimmed, each once, 2 to 7 of them, and a threshold from 2 to their number; null when all is well.</summary>
    private static Error? CheckQuorum(int threshold, IReadOnlyList<string> custodianNames, out List<string> names)
    {
        names = custodianNames.Select(n => (n ?? "").Trim()).ToList();
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Length == 0 || names[i].Length > NameMaxLength)
                errors[$"Custodian{i}"] = [$"Enter a name of at most {NameMaxLength} characters."];
            else if (names.Take(i).Contains(names[i], StringComparer.CurrentCultureIgnoreCase))
                errors[$"Custodian{i}"] = ["Each custodian is named once."];
        }
        if (names.Count < MinCustodians || names.Count > MaxCustodians)
            errors["Custodians"] = [$"Name between {MinCustodians} and {MaxCustodians} custodians."];
        if (threshold < MinThreshold || threshold > Math.Max(MinThreshold, names.Count))
            errors["Threshold"] = [$"The number of custodians needed is at least {MinThreshold} and at most the number named."];
        return errors.Count > 0 ? Error.Validation("Please correct the marked fields.", errors) : null;
    }

    /// <summary>
    /// New codes for <paramref name="names"/>, their public keys, and the recovery private key sealed to every M of them;
    /// the private key it is given is zeroed afterwards.
    /// </summary>
    private static (List<CustodianCode> Codes, List<byte[]> PublicKeys, IReadOnlyList<QuorumShare> Shares) Deal(byte[] recoveryPrivate, List<string> names, int threshold)
    {
        try
        {
            var codes = names.Select((name, i) => new CustodianCode(i, name, ReceiptCodes.Encode(RandomNumberGenerator.GetBytes(CodeRandomBytes)))).ToList();
            var custodianKeys = codes.Select(c =>
            {
                using var pair = Seal.CustodianKey(ReceiptCodes.NormalizeTo(c.Code, CodeLength)!, c.Position);
                return Seal.PublicKeyOf(pair);
            }).ToList();
            return (codes, custodianKeys, Quorum.Split(recoveryPrivate, custodianKeys, threshold, PrivateKeyContext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(recoveryPrivate);
        }
    }

    /// <summary>
    /// A custodian leaves, or the threshold changes: with the codes of M current custodians the recovery private key opens
    /// and is dealt anew to the custodians named now, with new codes shown once; the old codes open nothing afterwards.
    /// The recovery public key stays, so every recovery copy sealed so far stays valid and nothing is re-sealed.
    /// </summary>
    public async Task<Result<IReadOnlyList<CustodianCode>>> RedealAsync(string actorId, IReadOnlyDictionary<int, string> codes, int threshold,
        IReadOnlyList<string> custodianNames, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!(await access.ActorAsync(db, actorId, ct)).IsChair)
            return Error.Forbidden(ChairsOnly);
        if (CheckQuorum(threshold, custodianNames, out var names) is { } invalid)
            return invalid;
        var opened = await OpenQuorumAsync(db, actorId, codes, "re-deal", ct);
        if (!opened.Succeeded)
            return opened.Error!;
        var (raw, oldNames) = opened.Value;
        var (dealt, publicKeys, shares) = Deal(raw, names, threshold);
        var result = await audit.ExecuteAsync(db, async _ =>
        {
            var key = await db.RecoveryKeys.SingleAsync(k => k.Id == RecoveryKey.SingleId, ct);
            key.Redeal(threshold);
            await db.RecoveryShares.ExecuteDeleteAsync(ct);
            await db.RecoveryCustodians.ExecuteDeleteAsync(ct);
            db.AddRange(dealt.Select((c, i) => RecoveryCustodian.Create(c.Position, c.Name, publicKeys[i])));
            db.AddRange(shares.Select(RecoveryShare.From));
            return (Result.Ok(), [new AuditRecord(AuditActors.Staff(actorId), "recovery.redealt", "recovery",
                $"custodians={string.Join(", ", oldNames)}; quorum={threshold} of {names.Count}; new custodians={string.Join(", ", names)}")]);
        }, ct);
        return result.Succeeded ? dealt : result.Error!;
    }

    /// <summary>
    /// Checks each typed code against its custodian's public key and, with at least M right ones, opens the recovery
    /// private key (raw; the caller zeroes it) and names the custodians who took part. Anything less is audited and opens nothing.
    /// </summary>
    private async Task<Result<(byte[] Raw, IReadOnlyList<string> Custodians)>> OpenQuorumAsync(EthicsDbContext db, string actorId,
        IReadOnlyDictionary<int, string> codes, string purpose, CancellationToken ct)
    {
        var key = await db.RecoveryKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == RecoveryKey.SingleId, ct);
        if (key is null)
            return Error.NotFound("No recovery quorum is set up.");
        var custodians = await db.RecoveryCustodians.AsNoTracking().OrderBy(c => c.Position).ToListAsync(ct);
        var errors = new Dictionary<string, string[]>();
        var opened = new Dictionary<int, NSec.Cryptography.Key>();
        try
        {
            foreach (var custodian in custodians)
            {
                if (!codes.TryGetValue(custodian.Position, out var typed) || string.IsNullOrWhiteSpace(typed))
                    continue;
                var normalized = ReceiptCodes.NormalizeTo(typed, CodeLength);
                var pair = normalized is null ? null : Seal.CustodianKey(normalized, custodian.Position);
                if (pair is null || !CryptographicOperations.FixedTimeEquals(Seal.PublicKeyOf(pair), custodian.PublicKey))
                {
                    pair?.Dispose();
                    errors[$"Code{custodian.Position}"] = [$"This is not {custodian.Name}'s recovery code."];
                    continue;
                }
                opened[custodian.Position] = pair;
            }
            var named = custodians.Where(c => opened.ContainsKey(c.Position)).Select(c => c.Name).ToList();
            if (errors.Count > 0 || opened.Count < key.Threshold)
            {
                var (what, nothing) = purpose == "re-deal" ? ("Dealing new codes", "Nothing was changed.") : ("Recovery", "Nothing was recovered.");
                var message = errors.Count > 0 ? $"A code does not match its custodian: {nothing.ToLowerInvariant()}"
                    : $"{what} needs the codes of {key.Threshold} custodians; {opened.Count} entered. {nothing}";
                await audit.AppendAsync(new AuditRecord(AuditActors.Staff(actorId), "recovery.failed", "recovery",
                    $"custodians={string.Join(", ", named)}; rejected={errors.Count}; {purpose}"), ct);
                return Error.Validation(message, errors);
            }
            var shares = (await db.RecoveryShares.AsNoTracking().ToListAsync(ct)).Select(s => s.ToShare()).ToList();
            var raw = Quorum.Recover(shares, opened, PrivateKeyContext);
            return raw is null ? Error.Validation("These codes do not open the recovery key.") : (raw, named);
        }
        finally
        {
            foreach (var pair in opened.Values)
                pair.Dispose();
        }
    }

    /// <summary>
    /// The quorum at work: with the codes of at least M custodians (position → code, blanks ignored) the recovery key
    /// opens, and every case key it holds is sealed to the member restored (or to every member, for the whole committee),
    /// as far as each may see the case. A member restored is confirmed by the quorum. A member whose password an Admin
    /// typed gets nothing: they choose their own first. Failed attempts change nothing and are audited too.
    /// </summary>
    public async Task<Result<RecoveryOutcome>> RecoverAsync(string actorId, IReadOnlyDictionary<int, string> codes, string? memberId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, actorId, ct);
        if (!actor.IsChair)
            return Error.Forbidden(ChairsOnly);
        var opened = await OpenQuorumAsync(db, actorId, codes, "recover", ct);
        if (!opened.Succeeded)
            return opened.Error!;
        var (raw, named) = opened.Value;
        using var recoveryKey = Seal.ImportPrivate(raw);
        CryptographicOperations.ZeroMemory(raw);
        return await RestoreAsync(db, actorId, recoveryKey, memberId, named, ct);
    }

    private async Task<Result<RecoveryOutcome>> RestoreAsync(EthicsDbContext db, string actorId, NSec.Cryptography.Key recoveryKey, string? memberId,
        IReadOnlyList<string> custodianNames, CancellationToken ct)
    {
        var committee = (await CaseAccess.UsersInRoleAsync(db, Roles.Chair, ct)).Concat(await CaseAccess.UsersInRoleAsync(db, Roles.Handler, ct))
            .ToHashSet(StringComparer.Ordinal);
        var targets = await db.MemberKeys.Where(k => committee.Contains(k.UserId) && (memberId == null || k.UserId == memberId)).ToListAsync(ct);
        if (memberId is not null && targets.Count == 0)
            return Error.NotFound("This account is not a committee member with a key yet: they sign in once to make one.");
        if (memberId is not null && !targets[0].OwnSecret)
            return Error.Validation("This member still has the password an Admin set: they sign in and choose their own first.");
        targets = targets.Where(t => t.OwnSecret).ToList();
        var names = await db.Users.AsNoTracking().Where(u => committee.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var copies = await db.CaseKeys.AsNoTracking().Where(k => k.HolderId == CaseKey.Recovery)
            .Join(db.Cases.Where(c => c.ErasedAt == null), k => k.CaseId, c => c.Id, (k, c) => new { k.CaseId, k.Part, k.Sealed, c.Reference }).ToListAsync(ct);
        var by = $"{CaseKey.Recovery}: {string.Join(", ", custodianNames)}";
        var now = time.GetUtcNow();

        RecoveryOutcome? outcome = null;
        var caseKeys = new Dictionary<(int CaseId, CaseKeyPart Part), byte[]?>();
        try
        {
            var saved = await audit.ExecuteAsync(db, async _ =>
            {
                var records = new List<AuditRecord>();
                var granted = 0;
                foreach (var target in targets)
                {
                    if (target.ConfirmedAt is null)
                    {
                        target.Confirm(by, now);
                        records.Add(new AuditRecord(AuditActors.Staff(actorId), "keys.member-confirmed", $"user:{target.UserId}", "by=recovery quorum"));
                    }
                    var member = await access.ActorAsync(db, target.UserId, ct);
                    var visible = (await access.Visible(db, member).Select(c => c.Id).ToListAsync(ct)).ToHashSet();
                    var approved = (await db.IdentityRequests.Where(r => r.RequesterId == target.UserId && r.Approved == true).Select(r => r.CaseId).ToListAsync(ct)).ToHashSet();
                    var holds = (await CaseSealing.HeldBy(db, target.UserId).Select(k => new { k.CaseId, k.Part }).ToListAsync(ct))
                        .Select(k => (k.CaseId, k.Part)).ToHashSet();
                    foreach (var copy in copies.Where(c => visible.Contains(c.CaseId) && !holds.Contains((c.CaseId, c.Part))
                                 && (c.Part == CaseKeyPart.Content || member.IsChair || approved.Contains(c.CaseId))))
                    {
                        var context = CaseSealing.CopyContext(copy.Reference, copy.Part);
                        // Opened once for all the members restored (an X25519 agreement each), zeroed when the recovery ends.
                        if (!caseKeys.TryGetValue((copy.CaseId, copy.Part), out var caseKey))
                            caseKeys[(copy.CaseId, copy.Part)] = caseKey = Seal.Open(recoveryKey, copy.Sealed, context);
                        if (caseKey is null)
                            continue;
                        db.Add(CaseKey.Create(copy.CaseId, copy.Part, target.UserId, Seal.To(target.PublicKey, caseKey, context), by, now));
                        granted++;
                    }
                }
                var restored = targets.Select(t => names.GetValueOrDefault(t.UserId, t.UserId)).Order(StringComparer.CurrentCulture).ToList();
                records.Add(new AuditRecord(AuditActors.Staff(actorId), "recovery.used", memberId is null ? "recovery" : $"user:{memberId}",
                    $"custodians={string.Join(", ", custodianNames)}; members={(memberId is null ? "whole committee" : restored.FirstOrDefault())}; keys={granted}"));
                outcome = new RecoveryOutcome(custodianNames, restored, granted);
                return (Result.Ok(), records);
            }, ct);
            return saved.Succeeded ? outcome! : saved.Error!;
        }
        finally
        {
            foreach (var caseKey in caseKeys.Values)
            {
                if (caseKey is not null)
                    CryptographicOperations.ZeroMemory(caseKey);
            }
        }
    }
}
