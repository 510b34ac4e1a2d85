using System.Security.Cryptography;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Notifications;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Intake;
using EthicsPortal.Core.Intake.Evidence;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.FollowUp;

/// <summary>
/// A reporter's way into their case: its id and the key their receipt derives (which opens the reporter's copy of the
/// case key). Kept for the visit in the reporter's own encrypted session cookie; never stored on the server.
/// </summary>
public sealed record ReporterVisit(int CaseId, byte[] Key);

public sealed record InboxMessage(MessageAuthor Author, DateTimeOffset At, string Body);

/// <summary>Everything the reporter's inbox shows about their one concern, decrypted.</summary>
public sealed record Inbox(
    string Reference,
    CaseStatus Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset AcknowledgeBy,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset FeedbackBy,
    string? SummaryForReporter,
    IReadOnlyList<InboxMessage> Messages,
    int? DueCheckIn,
    int AttachmentCount,
    DateTimeOffset? IdentityRevealedAt = null,
    bool AwaitingCommittee = false);

/// <summary>
/// The reporter's side of a case, reached only with the receipt. Every action is audited with the actor
/// "reporter", to the hour, and never with its content.
/// </summary>
public sealed class FollowUpService(
    IDbContextFactory<EthicsDbContext> contexts,
    ReceiptCodes receipts,
    EvidenceIntake evidence,
    IOptions<DeadlineOptions> deadlines,
    AuditLog audit,
    NotificationService notifications,
    TimeProvider time)
{
    /// <summary>
    /// Finds the case a receipt opens. A wrong receipt and one that never existed answer the same; the stored
    /// hash is compared in constant time; a failure is audited without the value tried.
    /// </summary>
    public async Task<Result<ReporterVisit>> OpenAsync(string? receipt, CancellationToken ct = default)
    {
        var hash = receipts.Hash(receipt) ?? new byte[32];   // malformed input takes the same path as a miss
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await db.Cases.AsNoTracking().Where(c => c.ReceiptHash == hash)
            .Select(c => new { c.Id, c.Reference, c.ReceiptHash }).FirstOrDefaultAsync(ct);
        if (found is null || !CryptographicOperations.FixedTimeEquals(found.ReceiptHash, hash))
        {
            await audit.AppendAsync(new AuditRecord(AuditActors.Reporter, "followup.receipt-rejected", "followup", HourOnly: true), ct);
            return Error.NotFound(NotFoundMessage);
        }
        await audit.AppendAsync(new AuditRecord(AuditActors.Reporter, "followup.opened", $"case:{found.Reference}", HourOnly: true), ct);
        // From the receipt as the hash read it (O as 0, I and L as 1): a mistyped but accepted receipt derives the same key.
        return new ReporterVisit(found.Id, Sealing.Seal.ReporterKey(ReceiptCodes.Normalize(receipt)!, found.Reference));
    }

    public static string NotFoundMessage => ReporterMessages.Text("FollowUp.NotFound");

    public async Task<Result<Inbox>> GetInboxAsync(ReporterVisit visit, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var c = await db.Cases.AsNoTracking().AsSplitQuery()
            .Include(x => x.Messages).Include(x => x.CheckIns).Include(x => x.Attachments)
            .FirstOrDefaultAsync(x => x.Id == visit.CaseId, ct);
        if (c is null)
            return Error.NotFound();
        if (await Sealing.CaseSealing.OpenForReporterAsync(db, c.Id, c.Reference, visit.Key, ct) is not { } cipher)
            return await AwaitingCommitteeAsync(db, c, visit, ct);

        var summary = c.Status is CaseStatus.Closed or CaseStatus.Rejected && c.ReporterSummaryCiphertext is not null
            ? cipher.DecryptText(Sealing.SealedField.Message, c.ReporterSummaryCiphertext)
            : null;
        // In the order they were written (ids): an anonymous reporter's own times are cut to the hour.
        var messages = c.Messages.OrderBy(m => m.Seq)
            .Select(m => new InboxMessage(m.Author, m.At, cipher.DecryptText(Sealing.SealedField.Message, m.BodyCiphertext))).ToList();
        return new Inbox(c.Reference, c.Status, c.ReceivedAt, c.AcknowledgeBy, c.AcknowledgedAt, c.FeedbackBy, summary, messages,
            c.DueCheckIn(time.GetUtcNow(), deadlines.Value.CheckInDays), c.Attachments.Count, c.IdentityRevealedAt);
    }

    /// <summary>
    /// A case moved onto sealed keys by `keys migrate` has no reporter's copy yet: the key this visit's receipt derives is
    /// sealed to the members who hold the case, who are told; the inbox shows the facts that are not sealed until one of
    /// them opens the case and writes the copy.
    /// </summary>
    private async Task<Result<Inbox>> AwaitingCommitteeAsync(EthicsDbContext db, Case c, ReporterVisit visit, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!await Sealing.CaseSealing.AwaitReporterCopyAsync(db, c, visit.Key, now, ct))
            return Error.NotFound();
        if (db.ChangeTracker.HasChanges())
        {
            await notifications.NotifyCaseAsync(db, c.Id, NotificationKind.ReporterReplied,
                $"The reporter of {c.Reference} came back. Open the case so they can read the conversation again (it moved onto sealed keys).",
                exceptUserId: null, ct, at: Case.ReporterTime(c.Channel, now));
            try
            {
                await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Reporter, "followup.awaiting-key", $"case:{c.Reference}", HourOnly: true)], ct);
            }
            catch (DbUpdateException)
            {
                // The same reporter's other tab sealed it a moment before: theirs stands.
            }
        }
        return new Inbox(c.Reference, c.Status, c.ReceivedAt, c.AcknowledgeBy, c.AcknowledgedAt, c.FeedbackBy, null, [],
            null, c.Attachments.Count, c.IdentityRevealedAt, AwaitingCommittee: true);
    }

    public async Task<Result> ReplyAsync(ReporterVisit visit, string? text, CancellationToken ct = default)
    {
        text = text?.Trim() ?? "";
        if (text.Length == 0)
            return Error.Validation(ReporterMessages.Text("FollowUp.WriteMessage"), Field("Reply", ReporterMessages.Text("FollowUp.WriteMessage")));
        if (text.Length > CaseMessage.BodyMaxLength)
            return Error.Validation(ReporterMessages.Text("FollowUp.MessageTooLong", CaseMessage.BodyMaxLength), Field("Reply", ReporterMessages.Text("FollowUp.AtMost", CaseMessage.BodyMaxLength)));
        return await ChangeAsync(visit, "followup.replied", (c, cipher, now) =>
        {
            return c.AddReporterMessage(cipher.EncryptText(Sealing.SealedField.Message, text), now);
        }, ct, notice: (NotificationKind.ReporterReplied, reference => $"The reporter wrote on {reference}."));
    }

    public async Task<Result<IReadOnlyList<RemovedMetadata>>> AddEvidenceAsync(ReporterVisit visit, IReadOnlyList<EvidenceFile> files, CancellationToken ct = default)
    {
        if (files.Count == 0)
            return Error.Validation(ReporterMessages.Text("Upload.ChooseFile"), Field("Attachments", ReporterMessages.Text("Upload.ChooseFile")));
        IReadOnlyList<RemovedMetadata> removed = [];
        using var evidenceSlot = await evidence.EnterAsync(files, ct);
        var result = await ChangeAsync(visit, "followup.evidence-added", (c, cipher, now) =>
        {
            var upload = evidence.Prepare(files, cipher, Case.ReporterTime(c.Channel, now), AuditActors.Reporter);
            if (!upload.Succeeded)
                return upload.Error!;
            foreach (var attachment in upload.Value!.Attachments)
            {
                var added = c.AddAttachment(attachment);
                if (!added.Succeeded)
                    return added;
            }
            removed = upload.Value.Removed;
            return Result.Ok();
        }, ct, details: $"files={files.Count}", notice: (NotificationKind.ReporterReplied, reference => $"The reporter added evidence to {reference}."));
        return result.Succeeded ? Result.Ok(removed) : result.Error!;
    }

    public async Task<Result> AnswerCheckInAsync(ReporterVisit visit, int day, bool treatedWorse, string? details, CancellationToken ct = default)
    {
        details = details?.Trim();
        if (details is { Length: > RetaliationCheckIn.DetailsMaxLength })
            return Error.Validation(ReporterMessages.Text("FollowUp.DetailsTooLong", RetaliationCheckIn.DetailsMaxLength));
        return await ChangeAsync(visit, treatedWorse ? "followup.checkin-yes" : "followup.checkin-no", (c, cipher, now) =>
            c.AnswerCheckIn(day, treatedWorse,
                string.IsNullOrEmpty(details) ? null : cipher.EncryptText(Sealing.SealedField.Message, details),
                now, deadlines.Value.CheckInDays), ct, details: $"day={day}",
            notice: treatedWorse ? (NotificationKind.RetaliationFlag, reference => $"The reporter says they were treated worse after reporting ({reference}, day {day} check-in).") : null);
    }

    /// <summary>
    /// Applies the reporter's change, tells everyone who may see the case (in the same transaction), and audits it. For an
    /// anonymous case the notice carries the hour only, like every other trace of the reporter.
    /// </summary>
    private async Task<Result> ChangeAsync(ReporterVisit visit, string action, Func<Case, Sealing.CaseCipher, DateTimeOffset, Result> change, CancellationToken ct,
        string? details = null, (NotificationKind Kind, Func<string, string> Text)? notice = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var c = await db.Cases.Include(x => x.CheckIns).FirstOrDefaultAsync(x => x.Id == visit.CaseId, ct);
            if (c is null)
                return Error.NotFound();
            if (await Sealing.CaseSealing.OpenForReporterAsync(db, c.Id, c.Reference, visit.Key, ct) is not { } cipher)
                return c.ErasedAt is null && !await db.CaseKeys.AnyAsync(k => k.CaseId == c.Id && k.HolderId == Sealing.CaseKey.Reporter, ct)
                    ? Error.Validation(ReporterMessages.Text("FollowUp.AwaitingCommittee"))
                    : Error.NotFound();
            var now = time.GetUtcNow();
            var result = change(c, cipher, now);
            if (!result.Succeeded)
                return result;
            if (notice is { } n)
                await notifications.NotifyCaseAsync(db, c.Id, n.Kind, n.Text(c.Reference), exceptUserId: null, ct,
                    at: Case.ReporterTime(c.Channel, now));
            try
            {
                await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Reporter, action, $"case:{c.Reference}", details, HourOnly: true)], ct);
                return Result.Ok();
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // A handler changed the case meanwhile; the reporter's addition does not conflict with theirs, so apply it again.
            }
        }
    }

    private static Dictionary<string, string[]> Field(string name, string message) => new() { [name] = [message] };
}
