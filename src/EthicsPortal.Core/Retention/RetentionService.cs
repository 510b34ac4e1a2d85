using System.Globalization;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.Retention;

/// <summary>What one retention round did.</summary>
public sealed record RetentionRun(int Warned, int Erased, int Failed);

/// <summary>
/// Retention (issue #7): a closed or rejected case is erased once its queue's period has passed since
/// closure, unless it is under a legal hold; the chair is warned some days before. Erasure keeps a
/// content-free tombstone (see <see cref="Case.Erase"/>). Each warning and each erasure commits in its own
/// transaction with its audit entry, so one failing case neither blocks nor undoes the others.
/// </summary>
public sealed class RetentionService(
    IDbContextFactory<EthicsDbContext> contexts,
    CaseAccess access,
    NotificationService notifications,
    AuditLog audit,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionService> logger)
{
    /// <summary>When a case closed at <paramref name="closedAt"/> in a queue keeping cases <paramref name="retentionDays"/> days is erased.</summary>
    public static DateTimeOffset ErasureDue(DateTimeOffset closedAt, int retentionDays) => closedAt.AddDays(retentionDays);

    /// <summary>The chair stops erasure, e.g. for litigation or an authority's request. The reason goes into the case history, not the audit chain.</summary>
    public Task<Result> PlaceHoldAsync(int caseId, string actorId, string reason, CancellationToken ct = default)
        => HoldAsync(caseId, actorId, "case.legal-hold-placed", (c, actor, now) => c.PlaceLegalHold(actor, now, reason), ct);

    public Task<Result> ReleaseHoldAsync(int caseId, string actorId, string reason, CancellationToken ct = default)
        => HoldAsync(caseId, actorId, "case.legal-hold-released", (c, actor, now) => c.ReleaseLegalHold(actor, now, reason), ct);

    /// <summary>Admins set how long a queue keeps closed cases (1 to 3650 days); applies to cases closed before too.</summary>
    public async Task<Result> SetRetentionDaysAsync(int queueId, int days, string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await Cases.CaseAccess.HasRoleAsync(db, actorId, Security.Roles.Admin, ct))
            return Error.Forbidden("Only administrators set retention periods.");
        var queue = await db.Queues.FirstOrDefaultAsync(q => q.Id == queueId, ct);
        if (queue is null)
            return Error.NotFound("No such queue.");
        var before = queue.RetentionDays;
        var set = queue.SetRetentionDays(days);
        if (!set.Succeeded)
            return set;
        await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(actorId), "queue.retention-changed", $"queue:{queueId}",
            string.Create(CultureInfo.InvariantCulture, $"days={before}->{days}"))], ct);
        return Result.Ok();
    }

    /// <summary>One round: warns the chair about cases due within the warning period, then erases the cases that are due.</summary>
    public async Task<RetentionRun> RunOnceAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var warningDays = Math.Max(0, options.Value.WarningDays);
        int warned = 0, erased = 0, failed = 0;
        foreach (var candidate in await CandidatesAsync(now, warningDays, ct))
        {
            try
            {
                if (ErasureDue(candidate.ClosedAt, candidate.RetentionDays) <= now)
                {
                    if (await EraseAsync(candidate.Id, now, ct))
                        erased++;
                }
                else if (!candidate.Warned && await WarnAsync(candidate.Id, now, ct))
                {
                    warned++;
                }
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone changed the case meanwhile (say, reopened it); the next round decides afresh.
                logger.LogInformation("Retention skipped case {CaseId}: it changed during the round.", candidate.Id);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Retention failed for case {CaseId}.", candidate.Id);
                failed++;
            }
        }
        if (warned + erased + failed > 0)
            logger.LogInformation("Retention round: {Warned} warned, {Erased} erased, {Failed} failed.", warned, erased, failed);
        return new RetentionRun(warned, erased, failed);
    }

    private sealed record Candidate(int Id, DateTimeOffset ClosedAt, int RetentionDays, bool Warned);

    /// <summary>Closed or rejected cases, not held, not erased, that are within the warning period of their erasure or past it.</summary>
    private async Task<List<Candidate>> CandidatesAsync(DateTimeOffset now, int warningDays, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var queues = await db.Queues.AsNoTracking().Select(q => new { q.Id, q.RetentionDays }).ToListAsync(ct);
        var candidates = new List<Candidate>();
        foreach (var queue in queues)
        {
            // Per queue, so the age test is a plain comparison the database can use an index for.
            var closedBy = now.AddDays(warningDays - queue.RetentionDays);
            var rows = await db.Cases.AsNoTracking()
                .Where(c => c.QueueId == queue.Id && (c.Status == CaseStatus.Closed || c.Status == CaseStatus.Rejected)
                    && c.ErasedAt == null && !c.LegalHold && c.ClosedAt != null && c.ClosedAt <= closedBy)
                .Select(c => new { c.Id, c.ClosedAt, c.RetentionWarnedAt })
                .ToListAsync(ct);
            candidates.AddRange(rows.Select(r => new Candidate(r.Id, r.ClosedAt!.Value, queue.RetentionDays,
                r.RetentionWarnedAt is { } w && w >= r.ClosedAt!.Value)));
        }
        return candidates;
    }

    private async Task<bool> WarnAsync(int caseId, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var c = await db.Cases.FirstAsync(x => x.Id == caseId, ct);
        var days = await db.Queues.Where(q => q.Id == c.QueueId).Select(q => q.RetentionDays).FirstAsync(ct);
        if (c.ErasedAt is not null || c.LegalHold || c.ClosedAt is not { } closedAt || c.Status is not (CaseStatus.Closed or CaseStatus.Rejected) || c.RetentionWarned)
            return false;
        var due = ErasureDue(closedAt, days);
        c.MarkRetentionWarned(now);
        await notifications.NotifyCaseAsync(db, c.Id, NotificationKind.RetentionWarning,
            string.Create(CultureInfo.InvariantCulture, $"Case {c.Reference} will be erased under the retention policy on {due.UtcDateTime:d MMM yyyy} unless a legal hold is placed."),
            null, ct, chairsOnly: true);
        await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.System, "retention.warned", $"case:{c.Reference}",
            string.Create(CultureInfo.InvariantCulture, $"due={due.UtcDateTime:yyyy-MM-dd}"))], ct);
        return true;
    }

    private async Task<bool> EraseAsync(int caseId, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var c = await db.Cases.AsSplitQuery()
            .Include(x => x.Events).Include(x => x.Attachments).ThenInclude(a => a.Content)
            .Include(x => x.Messages).Include(x => x.Notes).Include(x => x.CheckIns)
            .FirstAsync(x => x.Id == caseId, ct);
        // Checked again on the loaded row: the candidate list may be minutes old.
        var days = await db.Queues.Where(q => q.Id == c.QueueId).Select(q => q.RetentionDays).FirstAsync(ct);
        if (c.ClosedAt is not { } closedAt || ErasureDue(closedAt, days) > now)
            return false;
        if (!c.Erase(AuditActors.System, now).Succeeded)
            return false;   // reopened, held or erased meanwhile
        // Every sealed copy of the case's keys goes in the same transaction: whatever ciphertext survives on disk (a WAL
        // frame, a PostgreSQL dead row, a backup) can no longer be opened by anyone, the committee included.
        var erased = await audit.ExecuteAsync(db, async _ =>
        {
            await Sealing.CaseSealing.ShredAsync(db, c.Id, ct);
            return (Result.Ok(), [new AuditRecord(AuditActors.System, "retention.erased", $"case:{c.Reference}",
                string.Create(CultureInfo.InvariantCulture, $"retentionDays={days}"))]);
        }, ct);
        return erased.Succeeded;
    }

    private async Task<Result> HoldAsync(int caseId, string actorId, string action, Func<Case, string, DateTimeOffset, Result> change, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, actorId, ct);
        if (!actor.IsChair || !await access.CanSeeAsync(db, actor, caseId, ct))
            return Error.Forbidden("Only the chair places or releases a legal hold.");
        var c = await db.Cases.FirstAsync(x => x.Id == caseId, ct);
        var result = change(c, AuditActors.Staff(actorId), time.GetUtcNow());
        if (!result.Succeeded)
            return result;
        try
        {
            await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(actorId), action, $"case:{c.Reference}", "reason given")], ct);
            return Result.Ok();
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict(CaseService.ConflictMessage);
        }
    }
}
