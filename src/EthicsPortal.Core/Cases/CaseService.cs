using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Customers;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Notifications;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Cases;

/// <summary>The moves a handler can make from the case page; the aggregate decides whether each is legal now.</summary>
public enum CaseMove { Acknowledge, StartTriage, StartInvestigation, Refer, Reopen }

public sealed record CloseCase(CaseOutcome Outcome, IReadOnlyList<CaseAction> Actions, string Rationale, string SummaryForReporter, string Reason);

/// <summary>
/// The committee's actions on a case. Every action checks, here and not only in the page, that the actor may
/// see this case (queue, exclusions) and, for the chair's actions, is the chair; every change is audited in
/// the same transaction; a stale edit reports a conflict instead of overwriting.
/// </summary>
public sealed class CaseService(
    IDbContextFactory<EthicsDbContext> contexts,
    CaseAccess access,
    Sealing.CaseSealing sealing,
    NotificationService notifications,
    CustomerPatterns patterns,
    AuditLog audit,
    TimeProvider time)
{
    public const string ConflictMessage = "Someone else changed this case while you were working on it. Nothing of yours was lost: reload the case and apply your change again.";

    public Task<Result> AcknowledgeAsync(int caseId, string actorId, Guid? expectedVersion = null, CancellationToken ct = default)
        => MoveAsync(caseId, actorId, CaseMove.Acknowledge, "", expectedVersion, ct);

    public Task<Result> MoveAsync(int caseId, string actorId, CaseMove move, string reason, Guid? expectedVersion = null, CancellationToken ct = default)
        => ChangeAsync(caseId, actorId, expectedVersion, $"case.{move.ToString().ToLowerInvariant()}", (c, ctx) => move switch
        {
            // Acknowledging needs no words of one's own; every other move asks for a reason (the aggregate checks).
            CaseMove.Acknowledge => c.Acknowledge(ctx.Actor, ctx.Now, string.IsNullOrWhiteSpace(reason) ? Vocabulary.DefaultReason(move) : reason),
            CaseMove.StartTriage => c.StartTriage(ctx.Actor, ctx.Now, reason),
            CaseMove.StartInvestigation => c.StartInvestigation(ctx.Actor, ctx.Now, reason),
            CaseMove.Refer => c.Refer(ctx.Actor, ctx.Now, reason),
            CaseMove.Reopen => c.Reopen(ctx.Actor, ctx.Now, reason),
            _ => Error.Validation("Unknown move."),
        }, ct);

    public Task<Result> RejectAsync(int caseId, string actorId, string reason, string reasonForReporter, Guid? expectedVersion = null, CancellationToken ct = default)
        => string.IsNullOrWhiteSpace(reasonForReporter)
            ? Task.FromResult<Result>(Error.Validation("Write the reason the reporter will read."))
            : ChangeAsync(caseId, actorId, expectedVersion, "case.rejected", (c, ctx) =>
                ctx.Sealed(cipher => c.Reject(ctx.Actor, ctx.Now, reason, cipher.EncryptText(Sealing.SealedField.Message, reasonForReporter.Trim()))), ct);

    public Task<Result> CloseAsync(int caseId, string actorId, string reason, string summaryForReporter, Guid? expectedVersion = null, CancellationToken ct = default)
        => CloseAsync(caseId, actorId, new CloseCase(CaseOutcome.NotSubstantiated, [], reason, summaryForReporter, reason), expectedVersion, ct);

    public Task<Result> CloseAsync(int caseId, string actorId, CloseCase input, Guid? expectedVersion = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(input.SummaryForReporter))
            return Task.FromResult<Result>(Error.Validation("Write the summary the reporter will read."));
        if (string.IsNullOrWhiteSpace(input.Rationale))
            return Task.FromResult<Result>(Error.Validation("Write the rationale for the decision."));
        return ChangeAsync(caseId, actorId, expectedVersion, "case.closed", (c, ctx) => ctx.Sealed(cipher =>
            c.Close(ctx.Actor, ctx.Now, string.IsNullOrWhiteSpace(input.Reason) ? "Closed" : input.Reason,
                cipher.EncryptText(Sealing.SealedField.Message, input.SummaryForReporter.Trim()), input.Outcome,
                cipher.EncryptText(Sealing.SealedField.Message, input.Rationale.Trim()), input.Actions)), ct,
            details: $"outcome={input.Outcome}; actions={string.Join(',', input.Actions.Select(a => a.Kind))}");
    }

    public Task<Result> SendMessageToReporterAsync(int caseId, string actorId, string? text, CancellationToken ct = default)
    {
        text = text?.Trim() ?? "";
        if (text.Length == 0 || text.Length > CaseMessage.BodyMaxLength)
            return Task.FromResult<Result>(Error.Validation($"Write a message of 1 to {CaseMessage.BodyMaxLength:N0} characters."));
        return ChangeAsync(caseId, actorId, null, "case.message-sent", (c, ctx) =>
        {
            return ctx.Sealed(cipher => c.AddCommitteeMessage(actorId, cipher.EncryptText(Sealing.SealedField.Message, text), ctx.Now));
        }, ct);
    }

    public Task<Result> AddNoteAsync(int caseId, string actorId, string? text, CancellationToken ct = default)
    {
        text = text?.Trim() ?? "";
        if (text.Length == 0 || text.Length > CaseNote.BodyMaxLength)
            return Task.FromResult<Result>(Error.Validation($"Write a note of 1 to {CaseNote.BodyMaxLength:N0} characters."));
        return ChangeAsync(caseId, actorId, null, "case.note-added", (c, ctx) =>
        {
            return ctx.Sealed(cipher => c.AddNote(actorId, cipher.EncryptText(Sealing.SealedField.Message, text), ctx.Now));
        }, ct);
    }

    public Task<Result> SetPriorityAsync(int caseId, string actorId, CasePriority priority, string reason, CancellationToken ct = default)
        => ChangeAsync(caseId, actorId, null, "case.priority-changed", (c, ctx) => c.SetPriority(ctx.Actor, ctx.Now, priority, reason), ct, details: priority.ToString());

    /// <summary>Assign, reassign or hand over (null unassigns). The assignee must be on the committee and may not be excluded.</summary>
    public Task<Result> AssignAsync(int caseId, string actorId, string? assigneeId, string reason, CancellationToken ct = default)
        => ChangeAsync(caseId, actorId, null, "case.assigned", async (c, ctx) =>
        {
            string name = "";
            if (assigneeId is not null)
            {
                var assignee = await access.ActorAsync(ctx.Db, assigneeId, ct);
                if (!assignee.IsCommittee)
                    return Error.Validation("Only a handler or the chair can be assigned.");
                name = await ctx.Db.Users.Where(u => u.Id == assigneeId).Select(u => u.DisplayName).FirstAsync(ct);
            }
            var result = c.Assign(ctx.Actor, ctx.Now, assigneeId, name, reason);
            if (result.Succeeded && assigneeId is not null && assigneeId != actorId)
                ctx.Db.Notifications.Add(new StaffNotification(assigneeId, NotificationKind.NewCase, c.Id, $"Case {c.Reference} was assigned to you.", ctx.Now));
            return result;
        }, ct, details: assigneeId is null ? "unassigned" : $"to=user:{assigneeId}");

    /// <summary>Re-routing is the chair's: a recorded move to another queue.</summary>
    public Task<Result> RerouteAsync(int caseId, string actorId, int queueId, string reason, CancellationToken ct = default)
        => ChangeAsync(caseId, actorId, null, "case.rerouted", async (c, ctx) =>
        {
            var queue = await ctx.Db.Queues.AsNoTracking().FirstOrDefaultAsync(q => q.Id == queueId, ct);
            return queue is null ? Error.NotFound("No such queue.") : c.Reroute(ctx.Actor, ctx.Now, queueId, queue.Name, reason);
        }, ct, chairOnly: true, details: $"queue={queueId}");

    /// <summary>
    /// The chair releases a concern that arrived in a flood to its queue, which is then told of it as of a new concern.
    /// A concern the chair finds to be flood is rejected as out of scope instead, like any other: nothing is deleted.
    /// </summary>
    public async Task<Result> ReleaseFromScreeningAsync(int caseId, string actorId, CancellationToken ct = default)
    {
        var released = await ChangeAsync(caseId, actorId, null, "case.screened", async (c, ctx) =>
        {
            await ctx.Db.Entry(c).Collection(x => x.CheckIns).LoadAsync(ct);   // they start counting in insights too
            return c.ReleaseFromScreening(ctx.Actor, ctx.Now);
        }, ct, chairOnly: true);
        if (!released.Succeeded)
            return released;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var c = await db.Cases.AsNoTracking().Where(x => x.Id == caseId).Select(x => new { x.Reference, x.ReceivedAt }).FirstAsync(ct);
        await notifications.NotifyCaseAsync(db, caseId, NotificationKind.NewCase, $"New concern {c.Reference} in your queue.", actorId, ct, at: c.ReceivedAt);
        await db.SaveChangesAsync(ct);
        return released;
    }

    /// <summary>The chair excludes a member for a conflict of interest: from then on the case is hidden from them everywhere.</summary>
    public Task<Result> ExcludeAsync(int caseId, string actorId, string userId, string reason, CancellationToken ct = default)
        => string.IsNullOrWhiteSpace(reason)
            ? Task.FromResult<Result>(Error.Validation("Give a reason for the exclusion."))
            : ChangeAsync(caseId, actorId, null, "case.member-excluded", (c, ctx) =>
                c.Exclude(ctx.Actor, ctx.Now, userId, ExclusionSource.Chair, $"Member excluded: {reason.Trim()}"), ct, chairOnly: true, details: $"user:{userId}");

    public Task<Result> LinkCasesAsync(int caseId, string actorId, string otherReference, CancellationToken ct = default)
        => ChangeAsync(caseId, actorId, null, "case.linked", async (c, ctx) =>
        {
            var actor = await access.ActorAsync(ctx.Db, actorId, ct);
            var wanted = otherReference.Trim().ToUpperInvariant();   // references are stored in upper case
            var other = await access.Visible(ctx.Db, actor).Where(x => x.Reference == wanted).Select(x => x.Id).FirstOrDefaultAsync(ct);
            if (other == 0 || other == c.Id)
                return Error.NotFound("No case with that reference that you can see.");
            if (await ctx.Db.CaseLinks.AnyAsync(l => (l.CaseId == c.Id && l.LinkedCaseId == other) || (l.CaseId == other && l.LinkedCaseId == c.Id), ct))
                return Error.Validation("The two cases are linked already.");   // a no-op writes nothing, not even an audit entry
            var otherCase = await ctx.Db.Cases.FirstAsync(x => x.Id == other, ct);
            var recorded = c.RecordLinked(ctx.Actor, ctx.Now, otherCase.Reference);
            if (recorded.Succeeded)
                recorded = otherCase.RecordLinked(ctx.Actor, ctx.Now, c.Reference);
            if (!recorded.Succeeded)
                return recorded;
            ctx.Db.CaseLinks.Add(new CaseLink(c.Id, other, ctx.Actor, ctx.Now));
            return Result.Ok();
        }, ct, details: otherReference);

    /// <summary>
    /// A handler confirms which customer the concern is about. The customer's account team is excluded at
    /// once, and three or more concerns about one customer within the window raise a pattern flag.
    /// </summary>
    public Task<Result> LinkCustomerAsync(int caseId, string actorId, int customerId, CancellationToken ct = default)
        => ChangeAsync(caseId, actorId, null, "case.customer-linked", async (c, ctx) =>
        {
            var customer = await ctx.Db.Customers.Include(x => x.AccountTeam).FirstOrDefaultAsync(x => x.Id == customerId, ct);
            if (customer is null)
                return Error.NotFound("No such customer.");
            var linked = c.LinkCustomer(ctx.Actor, ctx.Now, customer.Id, customer.Name);
            if (!linked.Succeeded)
                return linked;
            foreach (var member in customer.AccountTeam.Where(m => !c.IsExcluded(m.UserId)))
            {
                var excluded = c.Exclude(AuditActors.System, ctx.Now, member.UserId, ExclusionSource.AccountTeam, $"On the account team of {customer.Name}");
                if (!excluded.Succeeded)
                    return excluded;
            }
            await ctx.Db.SaveChangesAsync(ct);   // inside the audit transaction; the pattern check must see this link
            await patterns.CheckAsync(ctx.Db, customer, ctx.Now, ct);
            return Result.Ok();
        }, ct, details: $"customer={customerId}");

    /// <summary>Shows a confidential reporter's identity to a custodian (a chair, who holds its key) who gives a reason; audited, and the other chairs are told.</summary>
    public async Task<Result<ReporterIdentity>> RevealIdentityAsync(int caseId, string actorId, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
            return Error.Validation("Give the reason you need the reporter's identity.");
        ReporterIdentity? identity = null;
        var result = await ChangeAsync(caseId, actorId, null, "case.identity-revealed", async (c, ctx) =>
        {
            if (c.ReporterIdentityCiphertext is null)
                return Error.NotFound("This concern was made anonymously: there is no identity to reveal.");
            // The identity has a key of its own, sealed to the custodians (chairs) only.
            var (identityCipher, identityAccess) = await sealing.OpenAsync(ctx.Db, actorId, caseId, c.Reference, Sealing.CaseKeyPart.Identity, ct);
            if (identityCipher is null)
                return Error.Forbidden(identityAccess == Sealing.ContentAccess.Locked ? Sealing.SealedText.Locked : Sealing.SealedText.IdentityCustodiansOnly);
            identity = identityCipher.DecryptJson<ReporterIdentity>(Sealing.SealedField.Identity, c.ReporterIdentityCiphertext);
            ctx.Records.AddRange(await sealing.GrantWaitingAsync(ctx.Db, caseId, identityCipher, actorId, Sealing.CaseKeyPart.Identity, ct: ct));
            var recorded = c.RecordIdentityRevealed(ctx.Actor, ctx.Now, reason);
            if (!recorded.Succeeded)
                return recorded;
            await notifications.NotifyCaseAsync(ctx.Db, c.Id, NotificationKind.IdentityRevealed,
                $"The reporter's identity on case {c.Reference} was revealed to a handler.", actorId, ct, chairsOnly: true);
            return Result.Ok();
        }, ct, details: "reason given");
        return result.Succeeded ? identity! : result.Error!;
    }

    private sealed record ChangeContext(EthicsDbContext Db, string Actor, DateTimeOffset Now, Sealing.CaseCipher? Cipher, Sealing.ContentAccess Access)
    {
        public List<AuditRecord> Records { get; } = [];

        /// <summary>A change that writes content needs the actor's own key to the case.</summary>
        public Result Sealed(Func<Sealing.CaseCipher, Result> change) => Cipher is null ? Error.Forbidden(Sealing.SealedText.For(Access)) : change(Cipher);
    }

    private Task<Result> ChangeAsync(int caseId, string actorId, Guid? expectedVersion, string action,
        Func<Case, ChangeContext, Result> change, CancellationToken ct, bool chairOnly = false, string? details = null)
        => ChangeAsync(caseId, actorId, expectedVersion, action, (c, ctx) => Task.FromResult(change(c, ctx)), ct, chairOnly, details);

    private async Task<Result> ChangeAsync(int caseId, string actorId, Guid? expectedVersion, string action,
        Func<Case, ChangeContext, Task<Result>> change, CancellationToken ct, bool chairOnly = false, string? details = null)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, actorId, ct);
        if (!await access.CanSeeAsync(db, actor, caseId, ct) || (chairOnly && !actor.IsChair))
            return Error.Forbidden("You may not act on this case.");
        var c = await db.Cases.Include(x => x.Exclusions).FirstAsync(x => x.Id == caseId, ct);
        if (expectedVersion is { } v && v != c.Version)
            return Error.Conflict(ConflictMessage);
        var (cipher, contentAccess) = await sealing.OpenAsync(db, actorId, caseId, c.Reference, ct: ct);
        var ctx = new ChangeContext(db, AuditActors.Staff(actorId), time.GetUtcNow(), cipher, contentAccess);
        var record = new AuditRecord(AuditActors.Staff(actorId), action, $"case:{c.Reference}", details);
        try
        {
            return await audit.ExecuteAsync(db, async _ =>
            {
                var result = await change(c, ctx);
                if (!result.Succeeded)
                    return (result, []);
                await db.SaveChangesAsync(ct);
                // Access follows the change in the same transaction: whoever may no longer see the case loses their copy
                // of its key at once; whoever may now see it gets one from the actor, if the actor holds it.
                await sealing.PruneCaseAsync(db, caseId, ct);
                if (cipher is not null)
                    ctx.Records.AddRange(await sealing.GrantWaitingAsync(db, caseId, cipher, actorId, ct: ct));
                return (Result.Ok(), [record, .. ctx.Records]);
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict(ConflictMessage);
        }
    }
}
