using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Sealing;

/// <summary>A request as the chair's Access page lists it; the reason is shown only when the chair's key opens the case.</summary>
public sealed record IdentityRequestView(int Id, int CaseId, string Reference, string RequesterName, string? Reason, DateTimeOffset RequestedAt);

/// <summary>A member's own latest request on a case, for the case page.</summary>
public sealed record OwnIdentityRequest(DateTimeOffset RequestedAt, bool? Approved, DateTimeOffset? DecidedAt);

/// <summary>
/// Promise 5 of #16: a confidential reporter's identity is sealed apart, to the custodians (the chairs). A member who
/// may see the case asks with a reason; a custodian approves, and the identity's key is sealed to the member, or refuses.
/// Every step is audited and shown in the case's history; the member then reveals it as a custodian does.
/// </summary>
public sealed class IdentityRequestService(
    IDbContextFactory<EthicsDbContext> contexts, CaseAccess access, CaseSealing sealing, NotificationService notifications, AuditLog audit, TimeProvider time)
{
    public const int ReasonMaxLength = 500;

    public async Task<Result> RequestAsync(int caseId, string actorId, string? reason, CancellationToken ct = default)
    {
        reason = reason?.Trim() ?? "";
        if (reason.Length == 0 || reason.Length > ReasonMaxLength)
            return Error.Validation($"Give the reason you need the reporter's identity (1 to {ReasonMaxLength} characters).");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, actorId, ct);
        if (!await access.CanSeeAsync(db, actor, caseId, ct))
            return Error.Forbidden("You may not act on this case.");
        var c = await db.Cases.FirstAsync(x => x.Id == caseId, ct);
        if (c.ReporterIdentityCiphertext is null)
            return Error.NotFound("This concern was made anonymously: there is no identity to ask for.");
        if (await db.CaseKeys.AnyAsync(k => k.CaseId == caseId && k.Part == CaseKeyPart.Identity && k.HolderId == actorId, ct))
            return Error.Validation("You hold the identity's key already: reveal it below when you need it.");
        if (await db.IdentityRequests.AnyAsync(r => r.CaseId == caseId && r.RequesterId == actorId && r.Approved == null, ct))
            return Error.Validation("You have asked already; a custodian decides.");
        var (cipher, state) = await sealing.OpenAsync(db, actorId, caseId, c.Reference, ct: ct);
        if (cipher is null)
            return Error.Forbidden(SealedText.For(state));
        var now = time.GetUtcNow();
        try
        {
            return await audit.ExecuteAsync(db, async _ =>
            {
                var recorded = c.RecordIdentityRequested(AuditActors.Staff(actorId), now);
                if (!recorded.Succeeded)
                    return (recorded, []);
                db.IdentityRequests.Add(IdentityRequest.Create(caseId, actorId, cipher.EncryptText(SealedField.Message, reason), now));
                await notifications.NotifyCaseAsync(db, caseId, NotificationKind.IdentityRequested,
                    $"A member asks for the reporter's identity on case {c.Reference}.", actorId, ct, chairsOnly: true);
                return (Result.Ok(), [new AuditRecord(AuditActors.Staff(actorId), "case.identity-requested", $"case:{c.Reference}", "reason given")]);
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict(CaseService.ConflictMessage);
        }
    }

    /// <summary>The member's latest request on this case, or null.</summary>
    public async Task<OwnIdentityRequest?> OwnAsync(int caseId, string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.IdentityRequests.AsNoTracking().Where(r => r.CaseId == caseId && r.RequesterId == actorId)
            .OrderByDescending(r => r.RequestedAt).Select(r => new OwnIdentityRequest(r.RequestedAt, r.Approved, r.DecidedAt)).FirstOrDefaultAsync(ct);
    }

    /// <summary>The open requests on cases the chair may see, for the Access page.</summary>
    public async Task<Result<IReadOnlyList<IdentityRequestView>>> OpenRequestsAsync(string chairId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var chair = await access.ActorAsync(db, chairId, ct);
        if (!chair.IsChair)
            return Error.Forbidden("Only the chair decides on requests for a reporter's identity.");
        var visible = access.Visible(db, chair).Select(c => c.Id);
        var open = await (from r in db.IdentityRequests
                          where r.Approved == null && visible.Contains(r.CaseId)
                          join c in db.Cases on r.CaseId equals c.Id
                          join u in db.Users on r.RequesterId equals u.Id
                          orderby r.RequestedAt
                          select new { r.Id, r.CaseId, c.Reference, u.DisplayName, r.ReasonCiphertext, r.RequestedAt }).ToListAsync(ct);
        var views = new List<IdentityRequestView>();
        foreach (var r in open)
        {
            var (cipher, _) = await sealing.OpenAsync(db, chairId, r.CaseId, r.Reference, ct: ct);
            views.Add(new IdentityRequestView(r.Id, r.CaseId, r.Reference, r.DisplayName, cipher?.DecryptText(SealedField.Message, r.ReasonCiphertext), r.RequestedAt));
        }
        return views;
    }

    /// <summary>A custodian approves (the identity's key is sealed to the member who asked) or refuses.</summary>
    public async Task<Result> DecideAsync(int requestId, string chairId, bool approve, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var chair = await access.ActorAsync(db, chairId, ct);
        var request = await db.IdentityRequests.FirstOrDefaultAsync(r => r.Id == requestId, ct);
        if (!chair.IsChair || request is null || !await access.CanSeeAsync(db, chair, request.CaseId, ct))
            return Error.Forbidden("Only the chair decides on requests for a reporter's identity.");
        if (!request.IsOpen)
            return Error.Validation("This request was decided already.");
        var c = await db.Cases.FirstAsync(x => x.Id == request.CaseId, ct);
        CaseCipher? identity = null;
        if (approve)
        {
            var (cipher, state) = await sealing.OpenAsync(db, chairId, c.Id, c.Reference, CaseKeyPart.Identity, ct);
            if (cipher is null)
                return Error.Forbidden(state == ContentAccess.Locked ? SealedText.Locked : SealedText.IdentityCustodiansOnly);
            if (!(await access.WhoCanSeeAsync(db, c.Id, ct)).Contains(request.RequesterId))
                return Error.Validation("The member who asked no longer sees this case.");
            identity = cipher;
        }
        var now = time.GetUtcNow();
        try
        {
            return await audit.ExecuteAsync(db, async _ =>
            {
                var recorded = c.RecordIdentityRequestDecided(AuditActors.Staff(chairId), now, approve);
                if (!recorded.Succeeded)
                    return (recorded, []);
                if (identity is not null && !await CaseSealing.GrantIdentityAsync(db, c.Id, identity, request.RequesterId, chairId, now, ct))
                    return (Error.Validation("The member who asked has no key of their own yet, or is not confirmed: nothing was granted."), []);
                request.Decide(chairId, approve, now);
                db.Notifications.Add(new StaffNotification(request.RequesterId, NotificationKind.IdentityRequestDecided, c.Id,
                    approve ? $"Your request for the reporter's identity on {c.Reference} was approved." : $"Your request for the reporter's identity on {c.Reference} was refused.", now));
                return (Result.Ok(), [new AuditRecord(AuditActors.Staff(chairId), approve ? "case.identity-request-approved" : "case.identity-request-refused",
                    $"case:{c.Reference}", $"requester=user:{request.RequesterId}")]);
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict(CaseService.ConflictMessage);
        }
    }
}
