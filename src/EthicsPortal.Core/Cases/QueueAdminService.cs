using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Cases;

public sealed record QueueView(int Id, string Name, bool IsDefault, IReadOnlyList<string> MemberIds, int RetentionDays = Queue.DefaultRetentionDays);

public sealed record RuleView(int Id, int Order, string? MisuseTypeKey, string? ProductKey, OngoingHarm? Ongoing, int QueueId, CasePriority Priority);

public sealed record RuleInput(string? MisuseTypeKey, string? ProductKey, OngoingHarm? Ongoing, int QueueId, CasePriority Priority);

/// <summary>
/// Queues, their members and the routing rules. Every change is decided here from the acting user's id: only an
/// Admin may make it (deny by default), whatever the page checked.
/// </summary>
public sealed class QueueAdminService(IDbContextFactory<EthicsDbContext> contexts, AuditLog audit, EthicsPortal.Core.Sealing.CaseSealing sealing)
{
    private const string QueuesForbidden = "Only administrators manage queues.";
    private const string RoutingForbidden = "Only administrators manage routing.";

    public async Task<IReadOnlyList<QueueView>> QueuesAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await QueuesAsync(db, ct);
    }

    internal static async Task<IReadOnlyList<QueueView>> QueuesAsync(EthicsDbContext db, CancellationToken ct)
    {
        var members = await db.QueueMembers.AsNoTracking().ToListAsync(ct);
        return (await db.Queues.AsNoTracking().OrderByDescending(q => q.IsDefault).ThenBy(q => q.Name).ToListAsync(ct))
            .Select(q => new QueueView(q.Id, q.Name, q.IsDefault, members.Where(m => m.QueueId == q.Id).Select(m => m.UserId).ToList(), q.RetentionDays)).ToList();
    }

    public async Task<IReadOnlyList<RuleView>> RulesAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.RoutingRules.AsNoTracking().OrderBy(r => r.Order).ThenBy(r => r.Id)
            .Select(r => new RuleView(r.Id, r.Order, r.MisuseTypeKey, r.ProductKey, r.Ongoing, r.QueueId, r.Priority)).ToListAsync(ct);
    }

    public async Task<Result<int>> CreateQueueAsync(string name, string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await CaseAccess.HasRoleAsync(db, actorId, Roles.Admin, ct))
            return Error.Forbidden(QueuesForbidden);
        name = name.Trim();
        if (name.Length == 0 || name.Length > Queue.NameMaxLength)
            return Error.Validation($"Give the queue a name of at most {Queue.NameMaxLength} characters.");
        if (await db.Queues.AnyAsync(q => q.Name == name, ct))
            return Error.Validation("A queue with this name exists already.");
        var queue = new Queue(name, isDefault: false);
        db.Queues.Add(queue);
        await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(actorId), "queue.created", $"queue:{name}")], ct);
        return queue.Id;
    }

    public async Task<Result> SetMembersAsync(int queueId, IReadOnlyList<string> userIds, string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await CaseAccess.HasRoleAsync(db, actorId, Roles.Admin, ct))
            return Error.Forbidden(QueuesForbidden);
        if (!await db.Queues.AnyAsync(q => q.Id == queueId, ct))
            return Error.NotFound("No such queue.");
        var before = await db.QueueMembers.Where(m => m.QueueId == queueId).ToListAsync(ct);
        return await audit.ExecuteAsync(db, async _ =>
        {
            db.QueueMembers.RemoveRange(before);
            db.QueueMembers.AddRange(userIds.Distinct(StringComparer.Ordinal).Select(u => new QueueMember(queueId, u)));
            await db.SaveChangesAsync(ct);
            // A member who left the queue loses their copies of its cases' keys at once. One who joined gets copies when
            // a member who holds them next works on or opens a case (an Admin holds none to give).
            await sealing.PruneMembersAsync(db, before.Select(m => m.UserId), ct);
            return (Result.Ok(), [new AuditRecord(AuditActors.Staff(actorId), "queue.members-changed", $"queue:{queueId}", $"members={userIds.Count}")]);
        }, ct);
    }

    /// <summary>Adds a rule at the end of the order; first match wins at submission.</summary>
    public async Task<Result> AddRuleAsync(RuleInput input, string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await CheckRuleAsync(db, input, actorId, ct) is { } refused)
            return refused;
        var order = (await db.RoutingRules.MaxAsync(r => (int?)r.Order, ct) ?? 0) + 1;
        db.RoutingRules.Add(new RoutingRule(order, input.MisuseTypeKey, input.ProductKey, input.Ongoing, input.QueueId, input.Priority));
        await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(actorId), "routing.rule-added", $"queue:{input.QueueId}",
            $"misuse={input.MisuseTypeKey}; product={input.ProductKey}; ongoing={input.Ongoing}; priority={input.Priority}")], ct);
        return Result.Ok();
    }

    /// <summary>Changes a rule's conditions, queue or priority; it keeps its place in the order.</summary>
    public async Task<Result> UpdateRuleAsync(int ruleId, RuleInput input, string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await CheckRuleAsync(db, input, actorId, ct) is { } refused)
            return refused;
        var rule = await db.RoutingRules.FirstOrDefaultAsync(r => r.Id == ruleId, ct);
        if (rule is null)
            return Error.NotFound("No such rule.");
        if (!rule.Change(input.MisuseTypeKey, input.ProductKey, input.Ongoing, input.QueueId, input.Priority))
            return Result.Ok();   // nothing changed: nothing to audit
        await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(actorId), "routing.rule-changed", $"rule:{ruleId}",
            $"misuse={input.MisuseTypeKey}; product={input.ProductKey}; ongoing={input.Ongoing}; queue={input.QueueId}; priority={input.Priority}")], ct);
        return Result.Ok();
    }

    /// <summary>Moves a rule one place earlier (<paramref name="earlier"/>) or later in the order; the first match wins.</summary>
    public async Task<Result> MoveRuleAsync(int ruleId, bool earlier, string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await CaseAccess.HasRoleAsync(db, actorId, Roles.Admin, ct))
            return Error.Forbidden(RoutingForbidden);
        var rules = await db.RoutingRules.OrderBy(r => r.Order).ThenBy(r => r.Id).ToListAsync(ct);
        var index = rules.FindIndex(r => r.Id == ruleId);
        if (index < 0)
            return Error.NotFound("No such rule.");
        var other = earlier ? index - 1 : index + 1;
        if (other < 0 || other >= rules.Count)
            return Error.Validation(earlier ? "This rule is tried first already." : "This rule is tried last already.");
        (rules[index], rules[other]) = (rules[other], rules[index]);
        for (var i = 0; i < rules.Count; i++)
            rules[i].PlaceAt(i + 1);   // renumbered 1..n, so the order shown is the order tried
        await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(actorId), "routing.rule-moved", $"rule:{ruleId}", $"position={other + 1}")], ct);
        return Result.Ok();
    }

    public async Task<Result> DeleteRuleAsync(int ruleId, string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await CaseAccess.HasRoleAsync(db, actorId, Roles.Admin, ct))
            return Error.Forbidden(RoutingForbidden);
        var rule = await db.RoutingRules.FirstOrDefaultAsync(r => r.Id == ruleId, ct);
        if (rule is null)
            return Error.NotFound("No such rule.");
        db.RoutingRules.Remove(rule);
        await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(actorId), "routing.rule-deleted", $"rule:{ruleId}")], ct);
        return Result.Ok();
    }

    private static async Task<Error?> CheckRuleAsync(EthicsDbContext db, RuleInput input, string actorId, CancellationToken ct)
    {
        if (!await CaseAccess.HasRoleAsync(db, actorId, Roles.Admin, ct))
            return Error.Forbidden(RoutingForbidden);
        if (input.MisuseTypeKey is null && input.ProductKey is null && input.Ongoing is null)
            return Error.Validation("A rule needs at least one condition; cases that match nothing go to the default queue.");
        if (!await db.Queues.AnyAsync(q => q.Id == input.QueueId, ct))
            return Error.Validation("Choose a queue.");
        return null;
    }
}
