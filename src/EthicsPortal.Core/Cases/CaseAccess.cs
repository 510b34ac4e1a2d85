using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Cases;

/// <summary>What a staff member is, as far as case access goes.</summary>
public sealed record StaffActor(string UserId, bool IsChair, bool IsHandler)
{
    public bool IsCommittee => IsChair || IsHandler;
}

/// <summary>
/// Who may see and act on a case. Deny by default: the Chair sees every case, a Handler the cases in queues
/// they belong to and cases assigned to them; nobody sees a case they are excluded from (named by the
/// reporter, excluded by the chair, or on the customer's account team). Every query and every service action
/// goes through here, so a case that is hidden is hidden everywhere: lists, counts, search, notifications.
/// </summary>
public sealed class CaseAccess
{
    public async Task<StaffActor> ActorAsync(EthicsDbContext db, string userId, CancellationToken ct)
    {
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == userId
                           select r.Name).ToListAsync(ct);
        return new StaffActor(userId, roles.Contains(Roles.Chair), roles.Contains(Roles.Handler));
    }

    /// <summary>The cases this actor may see, as a query the database filters (no case is loaded to be checked).</summary>
    public IQueryable<Case> Visible(EthicsDbContext db, StaffActor actor)
    {
        if (!actor.IsCommittee)
            return db.Cases.Where(_ => false);
        var notExcluded = db.Cases.Where(c => !db.CaseExclusions.Any(x => x.CaseId == c.Id && x.UserId == actor.UserId));
        if (actor.IsChair)
            return notExcluded;
        // A concern that arrived in a flood waits for the chair's screening before its queue sees it.
        return notExcluded.Where(c => !c.AwaitsScreening && (c.AssigneeUserId == actor.UserId
            || db.QueueMembers.Any(m => m.QueueId == c.QueueId && m.UserId == actor.UserId)));
    }

    public async Task<bool> CanSeeAsync(EthicsDbContext db, StaffActor actor, int caseId, CancellationToken ct)
        => await Visible(db, actor).AnyAsync(c => c.Id == caseId, ct);

    public async Task<bool> CanHandleAsync(EthicsDbContext db, string userId, int caseId, CancellationToken ct)
        => await CanSeeAsync(db, await ActorAsync(db, userId, ct), caseId, ct);

    /// <summary>The staff who may see a case, e.g. to notify them: never someone it is hidden from.</summary>
    public async Task<IReadOnlyList<string>> WhoCanSeeAsync(EthicsDbContext db, int caseId, CancellationToken ct)
    {
        var c = await db.Cases.AsNoTracking().Where(x => x.Id == caseId).Select(x => new { x.QueueId, x.AssigneeUserId, x.AwaitsScreening }).FirstAsync(ct);
        var excluded = await db.CaseExclusions.Where(x => x.CaseId == caseId).Select(x => x.UserId).ToListAsync(ct);
        return await WhoCouldSeeAsync(db, c.QueueId, c.AssigneeUserId, c.AwaitsScreening, excluded, ct);
    }

    /// <summary>The same rule for a case described rather than stored (a concern being received).</summary>
    public async Task<IReadOnlyList<string>> WhoCouldSeeAsync(EthicsDbContext db, int queueId, string? assigneeUserId, bool awaitsScreening,
        IReadOnlyCollection<string> excluded, CancellationToken ct)
        => (await AudienceAsync(db, queueId, awaitsScreening, ct)).WhoSees(assigneeUserId, excluded);

    /// <summary>
    /// Who a case in this queue is for before exclusions: the chairs, and the queue's handlers once screening is over.
    /// Intake needs the two apart (the handlers share the queue's group key; chairs hold copies of their own).
    /// </summary>
    public static async Task<CaseAudience> AudienceAsync(EthicsDbContext db, int queueId, bool awaitsScreening, CancellationToken ct)
        => new((await UsersInRoleAsync(db, Roles.Chair, ct)).ToHashSet(StringComparer.Ordinal),
            awaitsScreening ? new HashSet<string>(StringComparer.Ordinal) : (await QueueHandlersAsync(db, queueId, ct)).ToHashSet(StringComparer.Ordinal));

    /// <summary>The handlers of a queue (members who hold the Handler role now).</summary>
    public static async Task<List<string>> QueueHandlersAsync(EthicsDbContext db, int queueId, CancellationToken ct)
        => await (from m in db.QueueMembers
                  join ur in db.UserRoles on m.UserId equals ur.UserId
                  join r in db.Roles on ur.RoleId equals r.Id
                  where m.QueueId == queueId && r.Name == Roles.Handler
                  select m.UserId).ToListAsync(ct);

    /// <summary>Whether this user holds the role now (read from the database, never from what a caller says).</summary>
    public static Task<bool> HasRoleAsync(EthicsDbContext db, string userId, string role, CancellationToken ct)
        => (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == userId && r.Name == role select ur).AnyAsync(ct);

    public static async Task<List<string>> UsersInRoleAsync(EthicsDbContext db, string role, CancellationToken ct)
        => await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where r.Name == role select ur.UserId).ToListAsync(ct);
}

/// <summary>The chairs and the queue's handlers a case is for (<see cref="CaseAccess.AudienceAsync"/>).</summary>
public sealed record CaseAudience(HashSet<string> Chairs, HashSet<string> Handlers)
{
    /// <summary>The one rule: chairs, handlers and the assignee, minus everyone excluded.</summary>
    public List<string> WhoSees(string? assigneeUserId, IReadOnlyCollection<string> excluded)
    {
        var all = Chairs.Concat(Handlers);
        if (assigneeUserId is not null)
            all = all.Append(assigneeUserId);
        return all.Distinct(StringComparer.Ordinal).Except(excluded, StringComparer.Ordinal).ToList();
    }
}
