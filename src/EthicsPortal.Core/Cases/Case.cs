using System.Security.Cryptography;
using EthicsPortal.Core.Common;

namespace EthicsPortal.Core.Cases;

/// <summary>
/// A concern and everything that happens to it. Report content, the reporter's identity and attachments are
/// held only as ciphertext (see <see cref="Security.ContentProtector"/>); the plain columns are what routing,
/// queues and statistics need. Every transition appends a <see cref="CaseEvent"/>.
/// </summary>
public sealed class Case
{
    public const int ReferenceMaxLength = 16;

    private readonly List<CaseEvent> _events = [];
    private readonly List<Attachment> _attachments = [];
    private readonly List<CaseExclusion> _exclusions = [];
    private readonly List<CaseMessage> _messages = [];
    private readonly List<RetaliationCheckIn> _checkIns = [];
    private readonly List<CaseNote> _notes = [];
    private readonly List<CaseAction> _actions = [];

    /// <summary>The workflow: which moves are legal from each state. Anything else fails with a clear message.</summary>
    public static readonly IReadOnlyDictionary<CaseStatus, CaseStatus[]> Moves = new Dictionary<CaseStatus, CaseStatus[]>
    {
        [CaseStatus.Received] = [CaseStatus.Acknowledged, CaseStatus.Rejected],
        [CaseStatus.Acknowledged] = [CaseStatus.Triage, CaseStatus.Referred, CaseStatus.Rejected],
        [CaseStatus.Triage] = [CaseStatus.Investigating, CaseStatus.Referred, CaseStatus.Rejected, CaseStatus.Closed],
        [CaseStatus.Investigating] = [CaseStatus.Referred, CaseStatus.Closed],
        [CaseStatus.Referred] = [CaseStatus.Investigating, CaseStatus.Closed],
        [CaseStatus.Rejected] = [CaseStatus.Reopened],
        [CaseStatus.Closed] = [CaseStatus.Reopened],
        [CaseStatus.Reopened] = [CaseStatus.Triage, CaseStatus.Investigating, CaseStatus.Closed],
    };

    private Case() { }

    public int Id { get; private set; }

    /// <summary>A random, non-sequential reference ("C-7F3K-9QX2"), so numbers reveal nothing about order or volume.</summary>
    public string Reference { get; private set; } = "";

    public CaseStatus Status { get; private set; }
    public ReportChannel Channel { get; private set; }

    /// <summary>For anonymous reports only to the hour: an exact time could be matched against office or network logs.</summary>
    public DateTimeOffset ReceivedAt { get; private set; }

    public string ProductKey { get; private set; } = "";
    public string MisuseTypeKey { get; private set; } = "";
    public OngoingHarm Ongoing { get; private set; }
    public int QueueId { get; private set; }

    public byte[] ReportCiphertext { get; private set; } = [];
    public byte[]? ReporterIdentityCiphertext { get; private set; }

    /// <summary>HMAC-SHA256 of the receipt under the server pepper; the receipt itself is never stored.</summary>
    public byte[] ReceiptHash { get; private set; } = [];

    /// <summary>
    /// The commitment the signed proof names: HMAC-SHA256 of the content as received under a salt only the proof
    /// carries (the column keeps its first name), so it confirms no guess without the reporter's proof.
    /// </summary>
    public string ContentSha256 { get; private set; } = "";

    /// <summary>Optimistic concurrency: a second handler's stale edit fails instead of silently winning.</summary>
    public Guid Version { get; private set; }

    /// <summary>
    /// The number the next event, message or attachment of this case takes: their order inside the case, since their
    /// keys are random (RandomKeys) and an anonymous reporter's times keep only the hour.
    /// </summary>
    public int NextSeq { get; private set; } = 1;

    public DateTimeOffset? AcknowledgedAt { get; private set; }

    /// <summary>Directive deadlines, fixed from the rules in force at receipt; stored so queues can filter "overdue" in SQL.</summary>
    public DateTimeOffset AcknowledgeBy { get; private set; }
    public DateTimeOffset FeedbackBy { get; private set; }
    public int FeedbackMonths { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>What the reporter is told when the case is closed or rejected (encrypted, written by the committee).</summary>
    public byte[]? ReporterSummaryCiphertext { get; private set; }

    /// <summary>The reporter answered a retaliation check-in with "yes": the chair must look at it.</summary>
    public bool RetaliationFlagged { get; private set; }

    public CasePriority Priority { get; private set; } = CasePriority.Normal;
    public string? AssigneeUserId { get; private set; }

    /// <summary>The customer the concern is about, once a handler confirmed the match.</summary>
    public int? CustomerId { get; private set; }

    /// <summary>Part of a pattern: several concerns about one customer within the configured window.</summary>
    public bool PatternFlagged { get; private set; }

    /// <summary>First feedback to the reporter (a message or the outcome): the Directive's 3-month clock stops here.</summary>
    public DateTimeOffset? FirstFeedbackAt { get; private set; }

    public CaseOutcome? Outcome { get; private set; }

    // Figures for statistics, kept as plain numbers so the database can group and rank them (no date arithmetic in SQL).
    /// <summary>
    /// Month of receipt as yyyymm, for GROUP BY month/quarter/year: the month a concern counts in insights. 0 while it
    /// waits for screening, so a flood never shows in the figures; set when the chair releases it.
    /// </summary>
    public int ReceivedMonth { get; private set; }
    public int? ClosedMonth { get; private set; }
    public long? SecondsToAcknowledge { get; private set; }
    public long? SecondsToClose { get; private set; }
    public bool? AcknowledgedInTime { get; private set; }
    public bool? FeedbackInTime { get; private set; }
    public byte[]? RationaleCiphertext { get; private set; }
    public DateTimeOffset? IdentityRevealedAt { get; private set; }

    /// <summary>A legal hold: retention never erases the case while it is set, however old it is.</summary>
    public bool LegalHold { get; private set; }

    /// <summary>When the chair was warned of the coming erasure; a warning older than <see cref="ClosedAt"/> (reopened, closed again) no longer counts.</summary>
    public DateTimeOffset? RetentionWarnedAt { get; private set; }

    /// <summary>When retention erased the content. The row stays as a content-free tombstone for statistics and the audit chain.</summary>
    public DateTimeOffset? ErasedAt { get; private set; }

    public IReadOnlyList<CaseEvent> Events => _events;
    public IReadOnlyList<Attachment> Attachments => _attachments;
    public IReadOnlyList<CaseExclusion> Exclusions => _exclusions;
    public IReadOnlyList<CaseMessage> Messages => _messages;
    public IReadOnlyList<RetaliationCheckIn> CheckIns => _checkIns;
    public IReadOnlyList<CaseNote> Notes => _notes;
    public IReadOnlyList<CaseAction> Actions => _actions;

    public Result Acknowledge(string actor, DateTimeOffset now, string reason = "Acknowledged to the reporter")
    {
        var moved = Move(CaseStatus.Acknowledged, actor, now, reason);
        if (moved.Succeeded)
        {
            AcknowledgedAt = now;
            SecondsToAcknowledge = (long)(now - ReceivedAt).TotalSeconds;
            AcknowledgedInTime = now <= AcknowledgeBy;
            FeedbackBy = now.AddMonths(FeedbackMonths);
        }
        return moved;
    }

    public Result StartTriage(string actor, DateTimeOffset now, string reason) => Move(CaseStatus.Triage, actor, now, reason);

    public Result StartInvestigation(string actor, DateTimeOffset now, string reason) => Move(CaseStatus.Investigating, actor, now, reason);

    public Result Refer(string actor, DateTimeOffset now, string reason) => Move(CaseStatus.Referred, actor, now, reason);

    public Result Reopen(string actor, DateTimeOffset now, string reason)
    {
        var moved = Move(CaseStatus.Reopened, actor, now, reason);
        if (moved.Succeeded)
        {
            foreach (var action in _actions)
                action.Withdraw();   // the decision no longer stands; a new close brings its own actions
        }
        return moved;
    }

    /// <summary>Out of scope: the reporter sees <paramref name="reasonForReporterCiphertext"/>.</summary>
    public Result Reject(string actor, DateTimeOffset now, string reason, byte[] reasonForReporterCiphertext)
    {
        var moved = Move(CaseStatus.Rejected, actor, now, reason);
        if (moved.Succeeded)
        {
            ReporterSummaryCiphertext = reasonForReporterCiphertext;
            Outcome = CaseOutcome.OutOfScope;
            MarkClosed(now);
            MarkFeedback(now);
        }
        return moved;
    }

    public Result Close(string actor, DateTimeOffset now, string reason, byte[] summaryForReporterCiphertext)
        => Close(actor, now, reason, summaryForReporterCiphertext, CaseOutcome.NotSubstantiated, null, []);

    /// <summary>Closes with the decision: outcome, actions taken against the customer, rationale and what the reporter is told.</summary>
    public Result Close(string actor, DateTimeOffset now, string reason, byte[] summaryForReporterCiphertext,
        CaseOutcome outcome, byte[]? rationaleCiphertext, IReadOnlyList<CaseAction> actions)
    {
        if (!Enum.IsDefined(outcome))
            return Error.Validation("Choose an outcome.");
        var moved = Move(CaseStatus.Closed, actor, now, reason);
        if (moved.Succeeded)
        {
            MarkClosed(now);
            ReporterSummaryCiphertext = summaryForReporterCiphertext;
            Outcome = outcome;
            RationaleCiphertext = rationaleCiphertext;
            _actions.Clear();
            foreach (var action in actions)
                action.Stand(ReceivedMonth);
            _actions.AddRange(actions);
            MarkFeedback(now);
        }
        return moved;
    }

    public Result Assign(string actor, DateTimeOffset now, string? assigneeUserId, string assigneeName, string reason)
    {
        if (Erased() is { } erased)
            return erased;
        if (string.IsNullOrWhiteSpace(reason))
            return Error.Validation("Give a reason for the assignment.");
        if (assigneeUserId == AssigneeUserId)
            return Error.Validation(assigneeUserId is null ? "The case is unassigned already." : "The case is assigned to this person already.");
        if (assigneeUserId is not null && _exclusions.Any(x => x.UserId == assigneeUserId))
            return Error.Validation("This person is excluded from the case (conflict of interest) and cannot be assigned.");
        var kind = AssigneeUserId is null ? CaseEventKind.Assigned : CaseEventKind.Reassigned;
        var detail = assigneeUserId is null ? $"Unassigned: {reason.Trim()}" : $"{assigneeName}: {reason.Trim()}";
        if (TooLong(detail) is { } tooLong)
            return tooLong;
        AssigneeUserId = assigneeUserId;
        Record(kind, actor, now, detail);
        return Result.Ok();
    }

    public Result Reroute(string actor, DateTimeOffset now, int queueId, string queueName, string reason)
    {
        if (Erased() is { } erased)
            return erased;
        if (queueId == QueueId)
            return Error.Validation("The case is in that queue already.");
        if (string.IsNullOrWhiteSpace(reason))
            return Error.Validation("Give a reason for moving the case.");
        var detail = $"To {queueName}: {reason.Trim()}";
        if (TooLong(detail) is { } tooLong)
            return tooLong;
        QueueId = queueId;
        Record(CaseEventKind.Rerouted, actor, now, detail);
        return Result.Ok();
    }

    public Result SetPriority(string actor, DateTimeOffset now, CasePriority priority, string reason)
    {
        if (Erased() is { } erased)
            return erased;
        if (!Enum.IsDefined(priority))
            return Error.Validation("Choose a priority.");
        if (priority == Priority)
            return Error.Validation("The case has this priority already.");
        var detail = $"{Vocabulary.Text(priority)}: {reason.Trim()}";
        if (TooLong(detail) is { } tooLong)
            return tooLong;
        Priority = priority;
        Record(CaseEventKind.PriorityChanged, actor, now, detail);
        return Result.Ok();
    }

    /// <summary>Routing at submission: the first matching rule's queue and priority.</summary>
    public void Route(int queueId, CasePriority priority)
    {
        QueueId = queueId;
        Priority = priority;
    }

    public Result Exclude(string actor, DateTimeOffset now, string userId, ExclusionSource source, string reason)
    {
        if (IsExcluded(userId))
            return Error.Validation("This member is excluded from the case already.");
        if (TooLong(reason.Trim()) is { } tooLong)
            return tooLong;
        _exclusions.Add(new CaseExclusion(userId, source, now));
        if (AssigneeUserId == userId)
            AssigneeUserId = null;
        Record(CaseEventKind.Excluded, actor, now, reason.Trim());
        return Result.Ok();
    }

    public bool IsExcluded(string userId) => _exclusions.Any(x => x.UserId == userId);

    public Result AddNote(string staffUserId, byte[] bodyCiphertext, DateTimeOffset now)
    {
        if (Erased() is { } erased)
            return erased;
        _notes.Add(new CaseNote(staffUserId, bodyCiphertext, now));
        Touch();
        return Result.Ok();
    }

    public Result LinkCustomer(string actor, DateTimeOffset now, int customerId, string customerName)
    {
        if (Erased() is { } erased)
            return erased;
        if (CustomerId == customerId)
            return Error.Validation("This customer is linked to the case already.");
        CustomerId = customerId;
        Record(CaseEventKind.CustomerLinked, actor, now, customerName.Length <= CaseEvent.ReasonMaxLength ? customerName : customerName[..CaseEvent.ReasonMaxLength]);
        return Result.Ok();
    }

    /// <summary>Records that this case is linked to another (both sides record it).</summary>
    public Result RecordLinked(string actor, DateTimeOffset now, string otherReference)
    {
        if (Erased() is { } erased)
            return erased;
        Record(CaseEventKind.Linked, actor, now, $"Linked with {otherReference}");
        return Result.Ok();
    }

    public Result FlagPattern(string actor, DateTimeOffset now, string detail)
    {
        if (PatternFlagged)
            return Error.Validation("The case is flagged as part of a pattern already.");
        if (TooLong(detail) is { } tooLong)
            return tooLong;
        PatternFlagged = true;
        Record(CaseEventKind.PatternFlagged, actor, now, detail);
        return Result.Ok();
    }

    public Result RecordIdentityRevealed(string actor, DateTimeOffset now, string reason)
    {
        if (Erased() is { } erased)
            return erased;
        if (TooLong(reason.Trim()) is { } tooLong)
            return tooLong;
        IdentityRevealedAt ??= now;
        Record(CaseEventKind.IdentityRevealed, actor, now, reason.Trim());
        return Result.Ok();
    }

    /// <summary>A member asked the custodians for the reporter's identity (the reason is sealed with the request, not here).</summary>
    internal Result RecordIdentityRequested(string actor, DateTimeOffset now)
    {
        if (Erased() is { } erased)
            return erased;
        Record(CaseEventKind.IdentityRequested, actor, now, "Asked the identity custodians");
        return Result.Ok();
    }

    internal Result RecordIdentityRequestDecided(string actor, DateTimeOffset now, bool approved)
    {
        if (Erased() is { } erased)
            return erased;
        Record(approved ? CaseEventKind.IdentityRequestApproved : CaseEventKind.IdentityRequestRefused, actor, now,
            approved ? "The identity's key was sealed to the member who asked" : "The custodian refused");
        return Result.Ok();
    }

    /// <summary>
    /// Arrived while the portal was flooded (over its client's or the portal's hourly intake): stored like any concern,
    /// but shown only to the chair until they release it to its queue. A flood never makes the portal refuse a
    /// concern that it would otherwise take; it makes the chair screen instead.
    /// </summary>
    public bool AwaitsScreening { get; private set; }

    /// <summary>At intake only, before the case is first stored.</summary>
    public void HoldForScreening()
    {
        AwaitsScreening = true;
        ReceivedMonth = 0;
    }

    public Result ReleaseFromScreening(string actor, DateTimeOffset now)
    {
        if (Erased() is { } erased)
            return erased;
        if (!AwaitsScreening)
            return Error.Validation("This case is not waiting for screening.");
        AwaitsScreening = false;
        ReceivedMonth = MonthOf(ReceivedAt);
        foreach (var checkIn in _checkIns)   // answered while it waited: counted from now on, like the concern
            checkIn.CountIn(ReceivedMonth);
        Record(CaseEventKind.Screened, actor, now, "Released to the queue after screening");
        return Result.Ok();
    }

    public Result PlaceLegalHold(string actor, DateTimeOffset now, string reason)
    {
        if (ErasedAt is not null)
            return Error.Validation("This case was erased under the retention policy: there is nothing left to hold.");
        if (LegalHold)
            return Error.Validation("The case is under a legal hold already.");
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > CaseEvent.ReasonMaxLength)
            return Error.Validation($"Give a reason of at most {CaseEvent.ReasonMaxLength:N0} characters for the legal hold.");
        LegalHold = true;
        Record(CaseEventKind.LegalHoldPlaced, actor, now, reason.Trim());
        return Result.Ok();
    }

    public Result ReleaseLegalHold(string actor, DateTimeOffset now, string reason)
    {
        if (!LegalHold)
            return Error.Validation("The case is not under a legal hold.");
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > CaseEvent.ReasonMaxLength)
            return Error.Validation($"Give a reason of at most {CaseEvent.ReasonMaxLength:N0} characters for releasing the hold.");
        LegalHold = false;
        Record(CaseEventKind.LegalHoldReleased, actor, now, reason.Trim());
        return Result.Ok();
    }

    /// <summary>Whether the chair was warned of the erasure due since the case was last closed.</summary>
    public bool RetentionWarned => RetentionWarnedAt is { } w && ClosedAt is { } c && w >= c;

    /// <summary>Bookkeeping only: no new version, so a handler's open edit does not turn into a conflict.</summary>
    public void MarkRetentionWarned(DateTimeOffset now) => RetentionWarnedAt = now;

    /// <summary>
    /// Retention: removes everything a person wrote or sent (report, identity, summary, rationale, attachments,
    /// messages, notes, check-in details, event reasons) and makes the receipt open nothing. What stays is a
    /// tombstone: reference, status, channel, dates, product and misuse keys, queue, outcome, actions and the
    /// statistics figures. Whether the period has passed is the caller's; the aggregate refuses a case that
    /// is open, held or erased already.
    /// </summary>
    public Result Erase(string actor, DateTimeOffset now)
    {
        if (ErasedAt is not null)
            return Error.Validation("This case was erased already.");
        if (Status is not (CaseStatus.Closed or CaseStatus.Rejected))
            return new Error(ErrorKind.IllegalTransition, $"A case that is {Describe(Status)} cannot be erased; only closed or rejected cases are.");
        if (LegalHold)
            return Error.Validation("The case is under a legal hold and cannot be erased.");
        ReportCiphertext = [];
        ReporterIdentityCiphertext = null;
        ReporterSummaryCiphertext = null;
        RationaleCiphertext = null;
        ContentSha256 = "";   // a hash of the content still confirms a guessed copy of it
        // Random bytes of the same length: the receipt opens nothing, and the unique index still holds.
        ReceiptHash = RandomNumberGenerator.GetBytes(ReceiptHash.Length > 0 ? ReceiptHash.Length : 32);
        _attachments.Clear();
        _messages.Clear();
        _notes.Clear();
        var checkIns = _checkIns.ToList();
        _checkIns.Clear();
        _checkIns.AddRange(checkIns.Select(x => new RetaliationCheckIn(ReceivedMonth, x.Day, x.TreatedWorse, null, x.AnsweredAt)));
        foreach (var e in _events)
            e.EraseReason();
        ErasedAt = now;
        Record(CaseEventKind.Erased, actor, now, "Content erased: the retention period ended.");
        return Result.Ok();
    }

    private void MarkClosed(DateTimeOffset now)
    {
        ClosedAt = now;
        ClosedMonth = MonthOf(now);
        SecondsToClose = (long)(now - ReceivedAt).TotalSeconds;
    }

    private void MarkFeedback(DateTimeOffset now)
    {
        if (FirstFeedbackAt is not null)
            return;
        FirstFeedbackAt = now;
        FeedbackInTime = now <= FeedbackBy;
    }

    public static int MonthOf(DateTimeOffset t) => t.UtcDateTime.Year * 100 + t.UtcDateTime.Month;

    /// <summary>Every event's words are checked by its method first (TooLong): nothing is ever cut short silently.</summary>
    private void Record(CaseEventKind kind, string actor, DateTimeOffset now, string detail)
    {
        if (detail.Length > CaseEvent.ReasonMaxLength)
            throw new InvalidOperationException($"{kind}: the detail was not checked for length.");
        _events.Add(Numbered(CaseEvent.Note(kind, actor, now, Status, detail)));
        Touch();
    }

    /// <summary>The one rule for the words an event keeps: at most <see cref="CaseEvent.ReasonMaxLength"/> characters, refused beyond.</summary>
    private static Error? TooLong(string detail) => detail.Length > CaseEvent.ReasonMaxLength
        ? Error.Validation($"Give a reason of at most {CaseEvent.ReasonMaxLength:N0} characters.")
        : null;

    /// <summary>After retention only a tombstone is left: nothing may be added to it, since nothing added would ever be erased.</summary>
    private Error? Erased() => ErasedAt is null ? null
        : new Error(ErrorKind.IllegalTransition, "This case was erased under the retention policy: nothing can be added to it.");

    public bool CanMoveTo(CaseStatus to) => Moves.TryGetValue(Status, out var allowed) && allowed.Contains(to);

    private Result Move(CaseStatus to, string actor, DateTimeOffset now, string reason)
    {
        if (ErasedAt is not null)
            return new Error(ErrorKind.IllegalTransition, "This case was erased under the retention policy and cannot be moved.");
        if (!CanMoveTo(to))
            return new Error(ErrorKind.IllegalTransition, $"A case that is {Describe(Status)} cannot be moved to {Describe(to)}.");
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > CaseEvent.ReasonMaxLength)
            return Error.Validation($"Give a reason of at most {CaseEvent.ReasonMaxLength:N0} characters.");
        _events.Add(Numbered(CaseEvent.Create(actor, now, Status, to, reason.Trim())));
        Status = to;
        Touch();
        return Result.Ok();
    }

    public static string Describe(CaseStatus status) => status switch
    {
        CaseStatus.Investigating => "under investigation",
        CaseStatus.Triage => "in triage",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>A message from the reporter, already encrypted.</summary>
    public Result AddReporterMessage(byte[] bodyCiphertext, DateTimeOffset now)
    {
        if (Erased() is { } erased)
            return erased;
        _messages.Add(Numbered(CaseMessage.FromReporter(bodyCiphertext, ReporterTime(Channel, now))));
        Touch();
        return Result.Ok();
    }

    public Result AddCommitteeMessage(string staffUserId, byte[] bodyCiphertext, DateTimeOffset now)
    {
        if (Erased() is { } erased)
            return erased;
        _messages.Add(Numbered(CaseMessage.FromCommittee(staffUserId, bodyCiphertext, now)));
        if (Status != CaseStatus.Received)
            MarkFeedback(now);
        Touch();
        return Result.Ok();
    }

    public Result AddAttachment(Attachment attachment)
    {
        if (Erased() is { } erased)
            return erased;
        _attachments.Add(Numbered(attachment));
        Touch();
        return Result.Ok();
    }

    /// <summary>The check-in (30, 60 or 90 days after receipt) the reporter is asked now, if any.</summary>
    public int? DueCheckIn(DateTimeOffset now, IReadOnlyList<int> days)
        => days.Where(d => now >= ReceivedAt.AddDays(d)).Where(d => _checkIns.All(c => c.Day != d)).Select(d => (int?)d).LastOrDefault();

    public Result AnswerCheckIn(int day, bool treatedWorse, byte[]? detailsCiphertext, DateTimeOffset now, IReadOnlyList<int> days)
    {
        if (DueCheckIn(now, days) != day)
            return Error.Validation(ReporterMessages.Text("FollowUp.CheckInClosed"));
        _checkIns.Add(new RetaliationCheckIn(ReceivedMonth, day, treatedWorse, detailsCiphertext, ReporterTime(Channel, now)));
        if (treatedWorse)
            RetaliationFlagged = true;
        Touch();
        return Result.Ok();
    }

    private void Touch() => Version = Guid.NewGuid();

    private T Numbered<T>(T child) where T : ICaseOrdered
    {
        child.Seq = NextSeq++;
        return child;
    }

    public static Case Receive(NewCase input, DateTimeOffset now)
    {
        var receivedAt = ReporterTime(input.Channel, now);
        var c = new Case
        {
            Reference = input.Reference,
            Status = CaseStatus.Received,
            Channel = input.Channel,
            ReceivedAt = receivedAt,
            ProductKey = input.ProductKey,
            MisuseTypeKey = input.MisuseTypeKey,
            Ongoing = input.Ongoing,
            QueueId = input.QueueId,
            ReportCiphertext = input.ReportCiphertext,
            ReporterIdentityCiphertext = input.ReporterIdentityCiphertext,
            ReceiptHash = input.ReceiptHash,
            ContentSha256 = input.ContentSha256,
            ReceivedMonth = MonthOf(receivedAt),
            AcknowledgeBy = CaseDeadlines.For(receivedAt, null, input.Deadlines).AcknowledgeBy,
            FeedbackBy = CaseDeadlines.For(receivedAt, null, input.Deadlines).FeedbackBy,
            FeedbackMonths = input.Deadlines.FeedbackWithinMonths,
            Version = Guid.NewGuid(),
        };
        c._events.Add(c.Numbered(CaseEvent.Create(input.Actor, receivedAt, null, CaseStatus.Received, "Concern received")));
        foreach (var attachment in input.Attachments)
            c._attachments.Add(c.Numbered(attachment));
        foreach (var userId in input.ExcludedUserIds.Distinct(StringComparer.Ordinal))
            c._exclusions.Add(new CaseExclusion(userId, ExclusionSource.Reporter, receivedAt));
        return c;
    }

    /// <summary>
    /// The one rule for an anonymous reporter's times (receipt, replies, evidence, check-ins, notices): only the hour
    /// is kept, so no stored time can be matched with who was away from their desk. Confidential cases keep the time.
    /// </summary>
    public static DateTimeOffset ReporterTime(ReportChannel channel, DateTimeOffset now)
        => channel == ReportChannel.WebAnonymous ? TruncateToHour(now) : now;

    public static DateTimeOffset TruncateToHour(DateTimeOffset t)
        => new(t.UtcDateTime.Year, t.UtcDateTime.Month, t.UtcDateTime.Day, t.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);
}

/// <summary>What intake hands the aggregate: everything already validated, cleaned and encrypted.</summary>
public sealed record NewCase(
    string Reference,
    ReportChannel Channel,
    string ProductKey,
    string MisuseTypeKey,
    OngoingHarm Ongoing,
    int QueueId,
    byte[] ReportCiphertext,
    byte[]? ReporterIdentityCiphertext,
    byte[] ReceiptHash,
    string ContentSha256,
    IReadOnlyList<Attachment> Attachments,
    IReadOnlyList<string> ExcludedUserIds,
    string Actor,
    DeadlineOptions Deadlines);

/// <summary>One step in a case's history: who moved it, when, from what, to what and why.</summary>
/// <summary>A row of a case that is shown in the case's own order (<see cref="Case.NextSeq"/>).</summary>
internal interface ICaseOrdered
{
    int Seq { get; set; }
}

public sealed class CaseEvent : ICaseOrdered
{
    public const int ReasonMaxLength = 2000;

    private CaseEvent() { }

    public long Id { get; private set; }
    public int CaseId { get; private set; }
    public int Seq { get; private set; }
    int ICaseOrdered.Seq { get => Seq; set => Seq = value; }
    public CaseEventKind Kind { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string Actor { get; private set; } = "";
    public CaseStatus? From { get; private set; }
    public CaseStatus To { get; private set; }
    public string Reason { get; private set; } = "";

    internal static CaseEvent Create(string actor, DateTimeOffset at, CaseStatus? from, CaseStatus to, string reason)
        => new() { Kind = CaseEventKind.StatusChanged, Actor = actor, At = at, From = from, To = to, Reason = reason };

    /// <summary>Anything else worth the history: assignment, routing, priority, exclusions, reveals.</summary>
    internal static CaseEvent Note(CaseEventKind kind, string actor, DateTimeOffset at, CaseStatus status, string detail)
        => new() { Kind = kind, Actor = actor, At = at, From = status, To = status, Reason = detail };

    public const string ErasedReason = "(erased)";

    /// <summary>Reasons are free text a handler wrote and may hold content; kind, actor, time and states stay.</summary>
    internal void EraseReason() => Reason = ErasedReason;
}

public enum ExclusionSource { Reporter, Chair, AccountTeam }

/// <summary>A committee member who must not see this case (conflict of interest).</summary>
public sealed class CaseExclusion
{
    private CaseExclusion() { }

    internal CaseExclusion(string userId, ExclusionSource source, DateTimeOffset at)
    {
        UserId = userId;
        Source = source;
        At = at;
    }

    public int CaseId { get; private set; }
    public string UserId { get; private set; } = "";
    public ExclusionSource Source { get; private set; }
    public DateTimeOffset At { get; private set; }
}
