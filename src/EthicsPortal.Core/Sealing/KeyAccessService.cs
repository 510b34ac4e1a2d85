using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Sealing;

public sealed record WaitingGrant(int CaseId, string Reference, string UserId, string DisplayName);

/// <summary>What the chair's access page shows.</summary>
public sealed record AccessOverview(IReadOnlyList<MemberKeyState> Members, IReadOnlyList<WaitingGrant> Waiting, bool RecoverySetUp, bool ViewerUnlocked);

/// <summary>
/// The chair's access page (#16): which members hold their own confirmed key, who waits for confirmation, and which
/// cases wait for a grant. Granting is a deliberate act of a member who holds the key, audited; an Admin holds none.
/// </summary>
public sealed class KeyAccessService(
    IDbContextFactory<EthicsDbContext> contexts, CaseAccess access, CaseSealing sealing, MemberKeys memberKeys, AuditLog audit)
{
    private const string ChairsOnly = "Only the chair manages access to sealed cases.";

    public async Task<Result<AccessOverview>> OverviewAsync(string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, actorId, ct);
        if (!actor.IsChair)
            return Error.Forbidden(ChairsOnly);
        var members = await memberKeys.CommitteeAsync(ct);
        var names = members.ToDictionary(m => m.UserId, m => m.DisplayName, StringComparer.Ordinal);
        var waiting = (await sealing.WaitingAsync(db, actor, ct))
            .Where(w => names.ContainsKey(w.UserId))
            .Select(w => new WaitingGrant(w.CaseId, w.Reference, w.UserId, names[w.UserId]))
            .OrderBy(w => w.Reference, StringComparer.Ordinal).ThenBy(w => w.DisplayName, StringComparer.CurrentCulture).ToList();
        return new AccessOverview(members, waiting, RecoverySetUp: await db.RecoveryKeys.AnyAsync(ct), memberKeys.IsUnlocked(actorId));
    }

    /// <summary>The chair vouches for a member, then grants them every case the chair holds that they may see.</summary>
    public async Task<Result<int>> ConfirmAsync(string actorId, string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var confirmed = await audit.ExecuteAsync(db, async _ =>
        {
            var result = await memberKeys.ConfirmAsync(db, actorId, userId, ct);
            return (result, [new AuditRecord(AuditActors.Staff(actorId), "keys.member-confirmed", $"user:{userId}")]);
        }, ct);
        return confirmed.Succeeded ? await GrantAllAsync(actorId, ct) : confirmed.Error!;
    }

    /// <summary>Grants one case's key to everyone who may see it and waits; the chair must hold the key, unlocked.</summary>
    public async Task<Result<int>> GrantAsync(string actorId, int caseId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, actorId, ct);
        if (!actor.IsChair || !await access.CanSeeAsync(db, actor, caseId, ct))
            return Error.Forbidden(ChairsOnly);
        var reference = await db.Cases.Where(c => c.Id == caseId).Select(c => c.Reference).FirstAsync(ct);
        var (cipher, state) = await sealing.OpenAsync(db, actorId, caseId, reference, ct: ct);
        if (cipher is null)
            return Error.Forbidden(SealedText.For(state));
        var records = await sealing.GrantWaitingAsync(db, caseId, cipher, actorId, ct: ct);
        if (records.Count > 0)
            await audit.SaveChangesAsync(db, records, ct);
        return records.Count;
    }

    /// <summary>Every waiting grant the chair can give (the cases whose key they hold); the rest stay listed.</summary>
    public async Task<Result<int>> GrantAllAsync(string actorId, CancellationToken ct = default)
    {
        var overview = await OverviewAsync(actorId, ct);
        if (!overview.Succeeded)
            return overview.Error!;
        var granted = 0;
        foreach (var caseId in overview.Value!.Waiting.Select(w => w.CaseId).Distinct())
        {
            var one = await GrantAsync(actorId, caseId, ct);
            if (one.Succeeded)
                granted += one.Value;
        }
        return granted;
    }
}
