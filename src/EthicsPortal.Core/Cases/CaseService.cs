using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Cases;

/// <summary>
/// The committee's actions on a case. Every action checks, here and not only in the page, that the actor may
/// handle this case; every change is audited in the same transaction; a stale edit reports a conflict.
/// </summary>
public sealed class CaseService(IDbContextFactory<EthicsDbContext> contexts, CaseAccess access, ContentProtector protector, AuditLog audit, TimeProvider time)
{
    public const string ConflictMessage = "Someone else changed this case while you were working on it. Nothing of yours was lost: reload the case and apply your change again.";

    public Task<Result> AcknowledgeAsync(int caseId, string actorId, Guid? expectedVersion = null, CancellationToken ct = default)
        => ChangeAsync(caseId, actorId, expectedVersion, "case.acknowledged", null, (c, actor, now) => c.Acknowledge(actor, now), ct);

    public Task<Result> SendMessageToReporterAsync(int caseId, string actorId, string? text, CancellationToken ct = default)
    {
        text = text?.Trim() ?? "";
        if (text.Length == 0 || text.Length > CaseMessage.BodyMaxLength)
            return Task.FromResult<Result>(Error.Validation($"Write a message of 1 to {CaseMessage.BodyMaxLength:N0} characters."));
        return ChangeAsync(caseId, actorId, null, "case.message-sent", null, (c, _, now) =>
        {
            c.AddCommitteeMessage(actorId, protector.ProtectText(ProtectedKind.Message, text), now);
            return Result.Ok();
        }, ct);
    }

    public Task<Result> CloseAsync(int caseId, string actorId, string reason, string summaryForReporter, Guid? expectedVersion = null, CancellationToken ct = default)
        => ChangeAsync(caseId, actorId, expectedVersion, "case.closed", null, (c, actor, now) =>
            c.Close(actor, now, reason, protector.ProtectText(ProtectedKind.Message, summaryForReporter.Trim())), ct);

    public Task<Result> RejectAsync(int caseId, string actorId, string reason, string reasonForReporter, Guid? expectedVersion = null, CancellationToken ct = default)
        => ChangeAsync(caseId, actorId, expectedVersion, "case.rejected", null, (c, actor, now) =>
            c.Reject(actor, now, reason, protector.ProtectText(ProtectedKind.Message, reasonForReporter.Trim())), ct);

    private async Task<Result> ChangeAsync(int caseId, string actorId, Guid? expectedVersion, string action, string? details,
        Func<Case, string, DateTimeOffset, Result> change, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await access.CanHandleAsync(db, actorId, caseId, ct))
            return Error.Forbidden("You may not act on this case.");
        var c = await db.Cases.FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null)
            return Error.NotFound("No such case.");
        if (expectedVersion is { } v && v != c.Version)
            return Error.Conflict(ConflictMessage);
        var result = change(c, AuditActors.Staff(actorId), time.GetUtcNow());
        if (!result.Succeeded)
            return result;
        try
        {
            await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(actorId), action, $"case:{c.Reference}", details)], ct);
            return Result.Ok();
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict(ConflictMessage);
        }
    }
}

/// <summary>
/// Who may handle a case: deny by default; a Handler or the Chair who is not excluded from it (conflict of
/// interest). Queue membership joins this rule with the committee workspace.
/// </summary>
public sealed class CaseAccess
{
    public async Task<bool> CanHandleAsync(EthicsDbContext db, string userId, int caseId, CancellationToken ct)
    {
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == userId
                           select r.Name).ToListAsync(ct);
        if (!roles.Contains(Roles.Handler) && !roles.Contains(Roles.Chair))
            return false;
        return !await db.CaseExclusions.AnyAsync(x => x.CaseId == caseId && x.UserId == userId, ct);
    }
}
