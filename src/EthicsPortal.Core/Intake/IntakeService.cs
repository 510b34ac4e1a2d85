using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Intake.Evidence;
using EthicsPortal.Core.Notifications;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.Intake;

/// <summary>
/// Turns a reporter's submission into a Case: validates, strips metadata from evidence, encrypts, issues a
/// receipt and a signed proof, and stores case and audit entry in one transaction — all or nothing.
/// </summary>
public sealed class IntakeService(
    IDbContextFactory<EthicsDbContext> contexts,
    IOptions<IntakeOptions> options,
    EvidenceIntake evidence,
    Sealing.CaseSealing sealing,
    ReceiptCodes receipts,
    SubmissionProofs proofs,
    AuditLog audit,
    IOptions<DeadlineOptions> deadlines,
    NotificationService notifications,
    CaseAccess access,
    TimeProvider time)
{
    /// <summary>How long the form's list of committee members is reused: every reporter's GET of the form needs it,
    /// and reading it costs more than rendering the page. Submissions always check against a fresh list.</summary>
    public static readonly TimeSpan MemberListLifetime = TimeSpan.FromSeconds(30);

    private IntakeOptions Options => options.Value;
    private volatile MemberList? _memberList;

    private sealed record MemberList(DateTimeOffset ReadAt, IReadOnlyList<CommitteeMember> Members);

    /// <summary>The committee members the form offers to exclude: read at most every <see cref="MemberListLifetime"/>.</summary>
    public async Task<IReadOnlyList<CommitteeMember>> CommitteeMembersForFormAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        if (_memberList is { } cached && now - cached.ReadAt < MemberListLifetime && now >= cached.ReadAt)
            return cached.Members;
        var members = await ListCommitteeMembersAsync(ct);
        _memberList = new MemberList(now, members);
        return members;
    }

    public IReadOnlyList<ChoiceOption> Products => Options.Products.Count > 0 ? Options.Products : IntakeOptions.DefaultProducts;
    public IReadOnlyList<ChoiceOption> MisuseTypes => Options.MisuseTypes.Count > 0 ? Options.MisuseTypes : IntakeOptions.DefaultMisuseTypes;
    public IntakeOptions Limits => Options;

    /// <summary>Handlers and the chair, by display name, so a reporter can keep someone off the case.</summary>
    public async Task<IReadOnlyList<CommitteeMember>> ListCommitteeMembersAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await CommitteeMembersAsync(db, ct);
    }

    internal static async Task<IReadOnlyList<CommitteeMember>> CommitteeMembersAsync(EthicsDbContext db, CancellationToken ct)
    {
        // Distinct before the order (EF drops an order that comes before Distinct, and warns each time it compiles).
        return await (from u in db.Users
                      where db.UserRoles.Any(ur => ur.UserId == u.Id
                                                   && db.Roles.Any(r => r.Id == ur.RoleId && (r.Name == Roles.Handler || r.Name == Roles.Chair)))
                      orderby u.DisplayName, u.Id
                      select new CommitteeMember(u.Id, u.DisplayName)).ToListAsync(ct);
    }

    /// <summary>
    /// Files a concern. With <paramref name="operatorId"/> a handler files it for someone who phoned or met them
    /// (Directive art. 9(2)): the receipt is issued the same way, and the record of the conversation waits in the
    /// reporter's inbox for them to confirm or correct.
    /// </summary>
    public async Task<Result<SubmissionReceipt>> SubmitByOperatorAsync(ConcernSubmission submission, string operatorId, CancellationToken ct = default)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            if (!(await access.ActorAsync(db, operatorId, ct)).IsCommittee)
                return Error.Forbidden("Only handlers and the chair take concerns down for others.");
        }
        return await SubmitCoreAsync(submission, operatorId, false, ct);
    }

    /// <summary>
    /// A reporter's own submission through the web form. With <paramref name="forScreening"/> (it arrived while the
    /// portal was flooded) the concern is stored and answered exactly the same, but only the chair sees it until they
    /// release it; nobody is told of each one, so a flood cannot bury the committee's notices.
    /// </summary>
    public Task<Result<SubmissionReceipt>> SubmitAsync(ConcernSubmission submission, bool forScreening, CancellationToken ct = default)
        => SubmitCoreAsync(submission, null, forScreening, ct);

    public Task<Result<SubmissionReceipt>> SubmitAsync(ConcernSubmission submission, CancellationToken ct = default)
        => SubmitCoreAsync(submission, null, false, ct);

    private async Task<Result<SubmissionReceipt>> SubmitCoreAsync(ConcernSubmission submission, string? operatorId, bool forScreening, CancellationToken ct)
    {
        // Exclusions are checked against a fresh list of members; most concerns exclude nobody and skip the read.
        var members = submission.ExcludedMemberIds.Count == 0 ? [] : await ListCommitteeMembersAsync(ct);
        var errors = Validate(submission, members);
        if (errors.Count > 0)
            return Error.Validation(ReporterMessages.Text("Intake.CorrectFields"), errors);

        // Files are cleaned and stored by a bounded number of uploads at once (memory); held until the case is saved.
        using var evidenceSlot = await evidence.EnterAsync(submission.Attachments, ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        // Routing: the first matching rule picks queue and priority; otherwise the default queue.
        var rule = RoutingRule.FirstMatch(await db.RoutingRules.AsNoTracking().ToListAsync(ct),
            submission.MisuseTypeKey, submission.ProductKey, submission.Ongoing);
        var queueId = rule?.QueueId ?? await db.Queues.Where(q => q.IsDefault).Select(q => q.Id).FirstAsync(ct);
        var now = time.GetUtcNow();
        var channel = operatorId is not null ? ReportChannel.Operator
            : submission.Identity is null ? ReportChannel.WebAnonymous : ReportChannel.WebConfidential;
        var actor = operatorId is null ? AuditActors.Reporter : AuditActors.Staff(operatorId);
        var addedAt = Case.ReporterTime(channel, now);
        var receipt = ReceiptCodes.NewReceipt();
        var reference = await NewReferenceAsync(db, ct);
        // A fresh key for this concern, sealed to everyone who may see it now, to the reporter's receipt and to recovery.
        var keys = await sealing.ForNewCaseAsync(db, reference, receipt, queueId, forScreening,
            submission.ExcludedMemberIds, submission.Identity is not null, addedAt, ct);
        var upload = evidence.Prepare(submission.Attachments, keys.Content, addedAt, AuditActors.Reporter);
        if (!upload.Succeeded)
            return upload.Error!;

        var report = new CaseReport(submission.Customer.Trim(), submission.Description.Trim(), submission.WhenWhere.Trim(),
            submission.HowKnown, submission.PeopleInvolved.Trim());
        var attachments = upload.Value!.Attachments;
        var salt = RandomNumberGenerator.GetBytes(32);   // never stored: only the reporter's proof carries it
        var contentHash = ContentCommitment(report, upload.Value.ContentHashes, salt);

        var @case = Case.Receive(new NewCase(
            reference, channel, submission.ProductKey, submission.MisuseTypeKey, submission.Ongoing, queueId,
            keys.Content.EncryptJson(Sealing.SealedField.Report, report),
            submission.Identity is null ? null : keys.Identity!.EncryptJson(Sealing.SealedField.Identity, submission.Identity),
            receipts.Hash(receipt)!, contentHash, attachments, submission.ExcludedMemberIds, actor, deadlines.Value), now);
        if (rule is not null)
            @case.Route(rule.QueueId, rule.Priority);
        if (forScreening)
            @case.HoldForScreening();
        if (operatorId is not null)
            _ = @case.AddCommitteeMessage(operatorId, keys.Content.EncryptText(Sealing.SealedField.Message,
                $"This is our record of our conversation:\n\n{report.Description}\n\nPlease reply here to confirm it, or tell us what to correct."), now);
        db.Cases.Add(@case);
        Sealing.CaseSealing.Store(db, @case.Id, keys, actor, @case.ReceivedAt);

        // The audit entry says that a concern arrived, never what it says or who sent it.
        await audit.SaveChangesAsync(db, [new AuditRecord(actor, "case.received", $"case:{reference}",
            $"channel={channel}; attachments={attachments.Count}", HourOnly: operatorId is null)], ct);

        // Told after the case is safely stored: a notice that failed to be written must never lose a concern.
        // The notice carries the case's own time: an anonymous concern's arrival is known only to the hour.
        if (!forScreening)
        {
            await notifications.NotifyCaseAsync(db, @case.Id, NotificationKind.NewCase, $"New concern {reference} in your queue.", operatorId, ct,
                at: @case.ReceivedAt);
            await db.SaveChangesAsync(ct);
        }

        var proof = proofs.Create(reference, @case.ReceivedAt, contentHash, Convert.ToBase64String(salt));
        return new SubmissionReceipt(reference, receipt, proof, upload.Value.Removed);
    }

    private Dictionary<string, string[]> Validate(ConcernSubmission s, IReadOnlyList<CommitteeMember> members)
    {
        var errors = new Dictionary<string, string[]>();
        void Check(bool bad, string field, string message)
        {
            if (bad)
                errors[field] = [message];
        }

        Check(string.IsNullOrWhiteSpace(s.Description), "Description", ReporterMessages.Text("Intake.DescriptionRequired"));
        Check(s.Description.Length > Options.DescriptionMaxLength, "Description", ReporterMessages.Text("Intake.DescriptionTooLong", Options.DescriptionMaxLength));
        Check(s.Customer.Length > IntakeOptions.CustomerMaxLength, "Customer", ReporterMessages.Text("Intake.TooLong", IntakeOptions.CustomerMaxLength));
        Check(s.WhenWhere.Length > IntakeOptions.ShortTextMaxLength, "WhenWhere", ReporterMessages.Text("Intake.TooLong", IntakeOptions.ShortTextMaxLength));
        Check(s.PeopleInvolved.Length > IntakeOptions.ShortTextMaxLength, "PeopleInvolved", ReporterMessages.Text("Intake.TooLong", IntakeOptions.ShortTextMaxLength));
        Check(!Products.Any(p => p.Key == s.ProductKey), "ProductKey", ReporterMessages.Text("Intake.ChooseProduct"));
        Check(!MisuseTypes.Any(m => m.Key == s.MisuseTypeKey), "MisuseTypeKey", ReporterMessages.Text("Intake.ChooseMisuseType"));
        Check(!Enum.IsDefined(s.HowKnown), "HowKnown", ReporterMessages.Text("Intake.ChooseHowKnown"));
        Check(!Enum.IsDefined(s.Ongoing), "Ongoing", ReporterMessages.Text("Intake.ChooseOngoing"));
        Check(s.ExcludedMemberIds.Any(id => !members.Any(m => m.UserId == id)), "ExcludedMemberIds", ReporterMessages.Text("Intake.ChooseMembers"));
        if (s.Identity is { } who)
        {
            Check(string.IsNullOrWhiteSpace(who.Name) || who.Name.Length > IntakeOptions.NameMaxLength, "Name", ReporterMessages.Text("Intake.NameRequired"));
            Check(string.IsNullOrWhiteSpace(who.Contact) || who.Contact.Length > IntakeOptions.ContactMaxLength, "Contact", ReporterMessages.Text("Intake.ContactRequired"));
        }

        return errors;
    }

    /// <summary>
    /// HMAC-SHA256 under <paramref name="salt"/> over the report as JSON followed by the SHA-256 of each cleaned
    /// attachment, in order. A plain hash, stored with the case, would let anyone with a backup confirm a guessed text.
    /// </summary>
    internal static string ContentCommitment(CaseReport report, IReadOnlyList<string> attachmentHashes, byte[] salt)
    {
        using var hash = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, salt);
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(report));
        foreach (var attachmentHash in attachmentHashes)
            hash.AppendData(Encoding.ASCII.GetBytes(attachmentHash));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task<string> NewReferenceAsync(EthicsDbContext db, CancellationToken ct)
    {
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
        while (true)
        {
            var chars = RandomNumberGenerator.GetItems<char>(alphabet, 8);
            var reference = $"C-{new string(chars, 0, 4)}-{new string(chars, 4, 4)}";
            if (!await db.Cases.AnyAsync(c => c.Reference == reference, ct))
                return reference;
        }
    }
}
