using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Cases;

public sealed record QueueView(int Id, string Name, bool IsDefault, IReadOnlyList<string> MemberIds);

public sealed record RuleView(int Id, int Order, string? MisuseTypeKey, string? ProductKey, OngoingHarm? Ongoing, int QueueId, CasePriority Priority);

public sealed record RuleInput(string? MisuseTypeKey, string? ProductKey, OngoingHarm? Ongoing, int QueueId, CasePriority Priority);

/// <summary>Queues, their members and the routing rules (Admin). Pages check the Admin policy; so does every call here.</summary>
public sealed class QueueAdminService(IDbContextFactory<EthicsDbContext> contexts, AuditLog audit)
{
    public async Task<IReadOnlyList<QueueView>> QueuesAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var members = await db.QueueMembers.AsNoTracking().ToListAsync(ct);
        return (await db.Queues.AsNoTracking().OrderByDescending(q => q.IsDefault).ThenBy(q => q.Name).ToListAsync(ct))
            .Select(q => new QueueView(q.Id, q.Name, q.IsDefault, members.Where(m => m.QueueId == q.Id).Select(m => m.UserId).ToList())).ToList();
    }

    public async Task<IReadOnlyList<RuleView>> RulesAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.RoutingRules.AsNoTracking().OrderBy(r => r.Order).ThenBy(r => r.Id)
            .Select(r => new RuleView(r.Id, r.Order, r.MisuseTypeKey, r.ProductKey, r.Ongoing, r.QueueId, r.Priority)).ToListAsync(ct);
    }

    public async Task<Result<int>> CreateQueueAsync(string name, string actorId, bool isAdmin, CancellationToken ct = default)
    {
        if (!isAdmin)
            return Error.Forbidden("Only administrators manage queues.");
        name = name.Trim();
        if (name.Length == 0 || name.Length > Queue.NameMaxLength)
            return Error.Validation($"Give the queue a name of at most {Queue.NameMaxLength} characters.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.Queues.AnyAsync(q => q.Name == name, ct))
            return Error.Validation("A queue with this name exists already.");
        var queue = new Queue(name, isDefault: false);
        db.Queues.Add(queue);
        await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(actorId), "queue.created", $"queue:{name}")], ct);
        return queue.Id;
    }

    public async Task<Result> SetMembersAsync(int queueId, IReadOnlyList<string> userIds, string actorId, bool isAdmin, CancellationToken ct = default)
    {
        if (!isAdmin)
            return Error.Forbidden("Only administrators manage queues.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Queues.AnyAsync(q => q.Id == queueId, ct))
            return Error.NotFound("No such queue.");
        db.QueueMembers.RemoveRange(await db.QueueMembers.Where(m => m.QueueId == queueId).ToListAsync(ct));
        db.QueueMembers.AddRange(userIds.Distinct(StringComparer.Ordinal).Select(u => new QueueMember(queueId, u)));
        await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(actorId), "queue.members-changed", $"queue:{queueId}", $"members={userIds.Count}")], ct);
        return Result.Ok();
    }

    /// <summary>Adds a rule at the end of the order; first match wins at submission.</summary>
    public async Task<Result> AddRuleAsync(RuleInput input, string actorId, bool isAdmin, CancellationToken ct = default)
    {
        if (!isAdmin)
            return Error.Forbidden("Only administrators manage routing.");
        if (input.MisuseTypeKey is null && input.ProductKey is null && input.Ongoing is null)
            return Error.Validation("A rule needs at least one condition; cases that match nothing go to the default queue.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Queues.AnyAsync(q => q.Id == input.QueueId, ct))
            return Error.Validation("Choose a queue.");
        var order = (await db.RoutingRules.MaxAsync(r => (int?)r.Order, ct) ?? 0) + 1;
        db.RoutingRules.Add(new RoutingRule(order, input.MisuseTypeKey, input.ProductKey, input.Ongoing, input.QueueId, input.Priority));
        await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(actorId), "routing.rule-added", $"queue:{input.QueueId}",
            $"misuse={input.MisuseTypeKey}; product={input.ProductKey}; ongoing={input.Ongoing}; priority={input.Priority}")], ct);
        return Result.Ok();
    }

    public async Task<Result> DeleteRuleAsync(int ruleId, string actorId, bool isAdmin, CancellationToken ct = default)
    {
        if (!isAdmin)
            return Error.Forbidden("Only administrators manage routing.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rule = await db.RoutingRules.FirstOrDefaultAsync(r => r.Id == ruleId, ct);
        if (rule is null)
            return Error.NotFound("No such rule.");
        db.RoutingRules.Remove(rule);
        await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(actorId), "routing.rule-deleted", $"rule:{ruleId}")], ct);
        return Result.Ok();
    }
}
