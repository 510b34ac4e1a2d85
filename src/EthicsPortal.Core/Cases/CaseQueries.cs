using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Customers;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Cases;

/// <summary>One line of a queue: no report content, only what routing and deadlines need.</summary>
public sealed record CaseRow(
    int Id, string Reference, DateTimeOffset ReceivedAt, CaseStatus Status, string Queue, string MisuseTypeKey, string ProductKey,
    CasePriority Priority, string? Assignee, string? Customer, DateTimeOffset AcknowledgeBy, DateTimeOffset? AcknowledgedAt,
    DateTimeOffset FeedbackBy, DateTimeOffset? FirstFeedbackAt, bool PatternFlagged, bool RetaliationFlagged, ReportChannel Channel,
    bool AwaitsScreening = false)
{
    public bool IsOpen => Status is not (CaseStatus.Closed or CaseStatus.Rejected);

    public bool IsOverdue(DateTimeOffset now)
        => IsOpen && ((AcknowledgedAt is null && AcknowledgeBy < now) || (FirstFeedbackAt is null && FeedbackBy < now));
}

public enum CaseSort { ReceivedNewest, ReceivedOldest, AcknowledgeBy, FeedbackBy, Priority, Status }

public sealed record CaseFilter(
    CaseStatus? Status = null, int? QueueId = null, string? MisuseTypeKey = null, string? ProductKey = null, int? CustomerId = null,
    bool OverdueOnly = false, bool AssignedToMe = false, bool FlaggedOnly = false, bool OpenOnly = false, bool ScreeningOnly = false,
    CaseSort Sort = CaseSort.ReceivedNewest, int Page = 0, int PageSize = 25);

/// <param name="Total">How many cases match, counted up to <see cref="CaseListOptions.CountLimit"/>.</param>
/// <param name="MoreThanTotal">True when more cases match than were counted.</param>
/// <summary>The committee queue (appsettings.json "Cases").</summary>
public sealed class CaseListOptions
{
    public const string Section = "Cases";

    /// <summary>Matches are counted up to this many; counting every open case of a million takes most of a second.</summary>
    public int CountLimit { get; set; } = 10_000;
}

public sealed record CaseListPage(IReadOnlyList<CaseRow> Rows, int Total, bool MoreThanTotal = false);

public sealed record AttachmentView(int Id, string FileName, string ContentType, long SizeBytes, string RemovedSummary, DateTimeOffset AddedAt, string AddedBy);
/// <remarks><paramref name="ToTheHour"/>: an anonymous reporter's time, kept only to the hour; show it as an hour, never as a minute.</remarks>
public sealed record EventView(CaseEventKind Kind, DateTimeOffset At, string Actor, CaseStatus? From, CaseStatus To, string Reason, bool ToTheHour = false);
/// <remarks><paramref name="ToTheHour"/>: an anonymous reporter's time, kept only to the hour; show it as an hour, never as a minute.</remarks>
public sealed record MessageView(MessageAuthor Author, string? Staff, DateTimeOffset At, string Body, bool ToTheHour = false);
public sealed record NoteView(string Staff, DateTimeOffset At, string Body);
public sealed record CheckInView(int Day, bool TreatedWorse, string? Details, DateTimeOffset AnsweredAt);
public sealed record LinkedCaseView(int Id, string Reference);
public sealed record ExclusionView(string UserId, string DisplayName, ExclusionSource Source);

/// <summary>A case as the case page shows it, decrypted for one authorized viewer.</summary>
public sealed record CaseDetails(
    CaseRow Row, Guid Version, CaseReport Report, bool HasIdentity, DateTimeOffset? IdentityRevealedAt, CaseOutcome? Outcome,
    string? SummaryForReporter, string? Rationale, IReadOnlyList<CaseAction> Actions,
    IReadOnlyList<AttachmentView> Attachments, IReadOnlyList<EventView> Events, IReadOnlyList<MessageView> Messages,
    IReadOnlyList<NoteView> Notes, IReadOnlyList<CheckInView> CheckIns, IReadOnlyList<ExclusionView> Exclusions,
    IReadOnlyList<LinkedCaseView> LinkedCases, IReadOnlyList<CaseMove> AllowedMoves, bool CanReject, bool CanClose, bool ViewerIsChair,
    OngoingHarm Ongoing = OngoingHarm.Unknown, bool LegalHold = false, int? CustomerId = null,
    Sealing.ContentAccess Access = Sealing.ContentAccess.Open, bool HoldsIdentityKey = false);

/// <summary>The case page's whole read: the case and every list its panels offer.</summary>
/// <param name="ViewerNeedsCode">The viewer has an authenticator, so confirming it is them takes a code too.</param>
/// <param name="ViewerHasPassword">False for a single sign-on account: it confirms with its unlock passphrase instead.</param>
public sealed record CasePageData(
    CaseDetails Details, IReadOnlyList<(string Id, string Name)> Assignable, IReadOnlyList<CustomerSummary> Customers,
    IReadOnlyList<CustomerSummary> Suggestions, IReadOnlyList<QueueView> Queues, IReadOnlyList<(string Id, string Name)> Committee,
    bool ViewerNeedsCode, bool ViewerHasPasskey, bool ViewerHasPassword = true);

/// <summary>
/// Reading cases: the queue (filtered, sorted and paged in SQL over indexed columns) and the case page.
/// Every read of case content is audited; hidden cases are not found, not counted, not listed.
/// </summary>
public sealed class CaseQueries(
    IDbContextFactory<EthicsDbContext> contexts, CaseAccess access, Sealing.CaseSealing sealing, AuditLog audit, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<CaseListOptions> listOptions)
{
    public async Task<CaseListPage> QueryAsync(string actorId, CaseFilter f, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, actorId, ct);
        var q = access.Visible(db, actor).AsNoTracking();
        var now = time.GetUtcNow();
        if (f.Status is { } status) q = q.Where(c => c.Status == status);
        if (f.QueueId is { } queue) q = q.Where(c => c.QueueId == queue);
        if (!string.IsNullOrEmpty(f.MisuseTypeKey)) q = q.Where(c => c.MisuseTypeKey == f.MisuseTypeKey);
        if (!string.IsNullOrEmpty(f.ProductKey)) q = q.Where(c => c.ProductKey == f.ProductKey);
        if (f.CustomerId is { } customer) q = q.Where(c => c.CustomerId == customer);
        if (f.AssignedToMe) q = q.Where(c => c.AssigneeUserId == actorId);
        if (f.FlaggedOnly) q = q.Where(c => c.PatternFlagged || c.RetaliationFlagged);
        // Concerns that arrived in a flood have a list of their own (the chair's), so a flood never buries the queue.
        q = f.ScreeningOnly ? q.Where(c => c.AwaitsScreening) : q.Where(c => !c.AwaitsScreening);
        // Open statuses as a constant IN list (not NOT IN), so the overdue indexes can seek by status.
        if (f.OpenOnly || f.OverdueOnly) q = q.Where(c => EF.Constant(OpenStatuses).Contains(c.Status));
        if (f.OverdueOnly)
            q = q.Where(c => (c.AcknowledgedAt == null && c.AcknowledgeBy < now) || (c.FirstFeedbackAt == null && c.FeedbackBy < now));

        // Counting every open case of a million takes most of a second; nobody pages through ten thousand, so the
        // count stops there and the list says "more than".
        var limit = Math.Max(1, listOptions.Value.CountLimit);
        var counted = await q.Take(limit + 1).CountAsync(ct);
        var total = Math.Min(counted, limit);
        q = f.Sort switch
        {
            CaseSort.ReceivedOldest => q.OrderBy(c => c.ReceivedAt).ThenBy(c => c.Id),
            CaseSort.AcknowledgeBy => q.OrderBy(c => c.AcknowledgeBy).ThenBy(c => c.Id),
            CaseSort.FeedbackBy => q.OrderBy(c => c.FeedbackBy).ThenBy(c => c.Id),
            CaseSort.Priority => q.OrderByDescending(c => c.Priority == CasePriority.Urgent ? 3 : c.Priority == CasePriority.High ? 2 : c.Priority == CasePriority.Normal ? 1 : 0).ThenBy(c => c.AcknowledgeBy),
            CaseSort.Status => q.OrderBy(c => c.Status).ThenByDescending(c => c.ReceivedAt),
            _ => q.OrderByDescending(c => c.ReceivedAt).ThenByDescending(c => c.Id),
        };
        var pageSize = Math.Clamp(f.PageSize, 1, 200);
        var rows = await Rows(q.Skip(Math.Max(0, f.Page) * pageSize).Take(pageSize), db).ToListAsync(ct);
        return new CaseListPage(rows, total, counted > limit);
    }



    private static readonly CaseStatus[] OpenStatuses = [.. Enum.GetValues<CaseStatus>().Where(s => s is not (CaseStatus.Closed or CaseStatus.Rejected))];

    internal static IQueryable<CaseRow> Rows(IQueryable<Case> cases, EthicsDbContext db)
        => from c in cases
           join q in db.Queues on c.QueueId equals q.Id
           select new CaseRow(c.Id, c.Reference, c.ReceivedAt, c.Status, q.Name, c.MisuseTypeKey, c.ProductKey, c.Priority,
               db.Users.Where(u => u.Id == c.AssigneeUserId).Select(u => u.DisplayName).FirstOrDefault(),
               db.Customers.Where(x => x.Id == c.CustomerId).Select(x => x.Name).FirstOrDefault(),
               c.AcknowledgeBy, c.AcknowledgedAt, c.FeedbackBy, c.FirstFeedbackAt, c.PatternFlagged, c.RetaliationFlagged, c.Channel,
               c.AwaitsScreening);

    /// <summary>How many concerns wait for the chair's screening (none for anyone else: they cannot see them).</summary>
    public async Task<int> AwaitingScreeningAsync(string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, actorId, ct);
        return actor.IsChair ? await access.Visible(db, actor).CountAsync(c => c.AwaitsScreening, ct) : 0;
    }

    /// <remarks>
    /// <paramref name="recordView"/>: false only when a page shows again, after the member's own action, a case it has
    /// just recorded them opening; the action itself is audited, so a second "viewed" would be noise.
    /// </remarks>
    public Task<Result<CaseDetails>> GetAsync(int caseId, string actorId, CancellationToken ct = default)
        => GetAsync(caseId, actorId, recordView: true, ct);

    public async Task<Result<CaseDetails>> GetAsync(int caseId, string actorId, bool recordView, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, actorId, ct);
        var names = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var read = await ReadAsync(db, actor, caseId, names, recordView, ct);
        return read.Succeeded ? read.Value.Details : read.Error!;
    }

    /// <summary>
    /// Everything the case page shows, read in one context: the case, whom it may be assigned to, the customer
    /// registry with suggestions, and for the chair the queues and the committee. After an action the page calls
    /// this once, instead of seven services each opening a context of its own.
    /// </summary>
    public async Task<Result<CasePageData>> PageAsync(int caseId, string actorId, bool recordView, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, actorId, ct);
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.DisplayName, u.TwoFactorEnabled, HasPassword = u.PasswordHash != null }).ToListAsync(ct);
        var names = users.ToDictionary(u => u.Id, u => u.DisplayName, StringComparer.Ordinal);
        var read = await ReadAsync(db, actor, caseId, names, recordView, ct);
        if (!read.Succeeded)
            return read.Error!;
        var (details, entity) = read.Value;
        var customers = await CustomerService.ListAsync(db, ct);
        var queues = actor.IsChair ? await QueueAdminService.QueuesAsync(db, ct) : [];
        var committee = await Intake.IntakeService.CommitteeMembersAsync(db, ct);
        // Who may be assigned, as AssignableAsync answers it: any handler or the chair, or whoever holds it now,
        // never an excluded member. Everything needed is read already.
        var excluded = entity.Exclusions.Select(x => x.UserId).ToHashSet(StringComparer.Ordinal);
        var assignable = committee.Select(m => m.UserId).Append(entity.AssigneeUserId).OfType<string>().Distinct(StringComparer.Ordinal)
            .Where(id => !excluded.Contains(id) && names.ContainsKey(id)).Select(id => (id, names[id]))
            .OrderBy(u => u.Item2, StringComparer.CurrentCulture).ToList();
        var hasPasskey = await db.UserPasskeys.AnyAsync(p => p.UserId == actorId, ct);
        return new CasePageData(details, assignable, customers, CustomerService.Suggest(customers, details.Report.Customer), queues,
            actor.IsChair ? committee.Where(m => m.UserId != actorId).Select(m => (m.UserId, m.DisplayName)).ToList() : [],
            users.FirstOrDefault(u => u.Id == actorId)?.TwoFactorEnabled ?? false, hasPasskey, users.FirstOrDefault(u => u.Id == actorId)?.HasPassword ?? true);
    }

    private async Task<Result<(CaseDetails Details, Case Entity)>> ReadAsync(EthicsDbContext db, StaffActor actor, int caseId, Dictionary<string, string> names,
        bool recordView, CancellationToken ct)
    {
        var actorId = actor.UserId;
        var row = await Rows(access.Visible(db, actor).Where(c => c.Id == caseId), db).FirstOrDefaultAsync(ct);
        if (row is null)
            return Error.NotFound("No such case, or it is not one you may see.");
        var c = await db.Cases.AsNoTracking().AsSplitQuery()
            .Include(x => x.Events).Include(x => x.Messages).Include(x => x.Notes).Include(x => x.CheckIns)
            .Include(x => x.Attachments).Include(x => x.Exclusions).Include(x => x.Actions)
            .FirstAsync(x => x.Id == caseId, ct);
        string NameOf(string? id) => id is not null && names.TryGetValue(id, out var n) ? n : "someone";
        string ActorName(string actorTag) => actorTag.StartsWith("staff:", StringComparison.Ordinal) ? NameOf(actorTag[6..]) : actorTag;
        // Content opens only with the viewer's own copy of the case key, unlocked in their session (#16).
        var (cipher, contentAccess, holdsIdentityKey, anyoneMayWait) = c.ErasedAt is null
            ? await sealing.OpenForPageAsync(db, actorId, caseId, c.Reference, ct) : (null, Sealing.ContentAccess.Open, false, false);
        const string sealedText = "";
        string Text(byte[]? sealedValue) => sealedValue is null ? "" : cipher?.DecryptText(Sealing.SealedField.Message, sealedValue) ?? sealedText;
        var links = await (from l in db.CaseLinks
                           where l.CaseId == caseId || l.LinkedCaseId == caseId
                           let other = l.CaseId == caseId ? l.LinkedCaseId : l.CaseId
                           join o in access.Visible(db, actor) on other equals o.Id
                           orderby o.Id
                           select new LinkedCaseView(o.Id, o.Reference)).ToListAsync(ct);

        // After retention only a content-free tombstone remains: there is nothing left to decrypt.
        var report = c.ErasedAt is { } erased
            ? new CaseReport("(erased)", $"The content of this concern was erased on {erased.UtcDateTime:d MMM yyyy} under the retention policy.", "", HowKnown.NotSaid, "")
            : cipher?.DecryptJson<CaseReport>(Sealing.SealedField.Report, c.ReportCiphertext) ?? new CaseReport("", "", "", HowKnown.NotSaid, "");
        var anonymous = c.Channel == ReportChannel.WebAnonymous;
        var details = new CaseDetails(
            row, c.Version, report,
            c.ReporterIdentityCiphertext is not null, c.IdentityRevealedAt, c.Outcome,
            c.ReporterSummaryCiphertext is null ? null : Text(c.ReporterSummaryCiphertext),
            c.RationaleCiphertext is null ? null : Text(c.RationaleCiphertext), c.Actions.ToList(),
            c.Attachments.OrderBy(a => a.Seq).Select(a => new AttachmentView(a.Id, cipher?.DecryptText(Sealing.SealedField.AttachmentName, a.FileNameCiphertext) ?? "",
                a.ContentType, a.SizeBytes, a.RemovedSummary, a.AddedAt, ActorName(a.AddedBy))).ToList(),
            // In the order they happened (ids), not by time: an anonymous reporter's times are cut to the hour.
            c.Events.OrderBy(e => e.Seq).Select(e => new EventView(e.Kind, e.At, ActorName(e.Actor), e.From, e.To, e.Reason,
                anonymous && e.Actor == AuditActors.Reporter)).ToList(),
            c.Messages.OrderBy(m => m.Seq).Select(m => new MessageView(m.Author, m.StaffUserId is null ? null : NameOf(m.StaffUserId), m.At, Text(m.BodyCiphertext),
                anonymous && m.Author == MessageAuthor.Reporter)).ToList(),
            c.Notes.OrderBy(n => n.Id).Select(n => new NoteView(NameOf(n.StaffUserId), n.At, Text(n.BodyCiphertext))).ToList(),
            c.CheckIns.OrderBy(x => x.Day).Select(x => new CheckInView(x.Day, x.TreatedWorse, x.DetailsCiphertext is null ? null : Text(x.DetailsCiphertext), x.AnsweredAt)).ToList(),
            actor.IsChair ? c.Exclusions.Select(x => new ExclusionView(x.UserId, NameOf(x.UserId), x.Source)).ToList() : [],
            links,
            Enum.GetValues<CaseMove>().Where(m => c.CanMoveTo(Target(m))).ToList(),
            c.CanMoveTo(CaseStatus.Rejected), c.CanMoveTo(CaseStatus.Closed), actor.IsChair, c.Ongoing, c.LegalHold, c.CustomerId, contentAccess,
            c.ReporterIdentityCiphertext is not null && holdsIdentityKey);

        // A member who holds the key and opens the case grants it to whoever may see it and waits (a re-route, a new
        // assignee, a queue they joined): access follows the workflow with no extra click.
        if (cipher is not null)
            await sealing.GrantWaitingAndSaveAsync(db, caseId, cipher, actorId, anyoneMayWait, ct);

        if (recordView)
            await audit.AppendAsync(new AuditRecord(AuditActors.Staff(actorId), "case.viewed", $"case:{c.Reference}"), ct);
        return (details, c);
    }

    public static CaseStatus Target(CaseMove move) => Vocabulary.Moves[move].Target;

    /// <summary>An attachment's bytes for download; audited.</summary>
    public async Task<Result<(string FileName, string ContentType, byte[] Content)>> DownloadAsync(int caseId, int attachmentId, string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, actorId, ct);
        if (!await access.CanSeeAsync(db, actor, caseId, ct))
            return Error.NotFound("No such attachment, or it is not one you may see.");
        var a = await db.Attachments.AsNoTracking().Include(x => x.Content).FirstOrDefaultAsync(x => x.Id == attachmentId && x.CaseId == caseId, ct);
        if (a is null)
            return Error.NotFound("No such attachment, or it is not one you may see.");
        var reference = await db.Cases.Where(x => x.Id == caseId).Select(x => x.Reference).FirstAsync(ct);
        var (cipher, contentAccess) = await sealing.OpenAsync(db, actorId, caseId, reference, ct: ct);
        if (cipher is null)
            return Error.Forbidden(Sealing.SealedText.For(contentAccess));
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(actorId), "case.attachment-downloaded", $"case:{reference}", $"attachment={attachmentId}"), ct);
        return (cipher.DecryptText(Sealing.SealedField.AttachmentName, a.FileNameCiphertext), a.ContentType,
            cipher.Decrypt(Sealing.SealedField.Attachment, a.Content.Ciphertext));
    }

    /// <summary>Handlers and the chair who may be assigned this case (never an excluded member).</summary>
    /// <summary>Who the case may be assigned to; asked by a member who may see the case, else nobody (deny by default).</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> AssignableAsync(int caseId, string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await access.CanSeeAsync(db, await access.ActorAsync(db, actorId, ct), caseId, ct))
            return [];
        return await AssignableAsync(db, caseId, await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct), ct);
    }

    /// <summary>For a case the caller has already found visible to the actor.</summary>
    private async Task<IReadOnlyList<(string Id, string Name)>> AssignableAsync(EthicsDbContext db, int caseId, Dictionary<string, string> names,
        CancellationToken ct)
    {
        var ids = await access.WhoCanSeeAsync(db, caseId, ct);
        var handlers = await CaseAccess.UsersInRoleAsync(db, Roles.Handler, ct);
        var chairs = await CaseAccess.UsersInRoleAsync(db, Roles.Chair, ct);
        var excluded = await db.CaseExclusions.Where(x => x.CaseId == caseId).Select(x => x.UserId).ToListAsync(ct);
        return handlers.Concat(chairs).Concat(ids).Distinct().Except(excluded)
            .Where(names.ContainsKey).Select(id => (id, names[id])).OrderBy(u => u.Item2, StringComparer.CurrentCulture).ToList();
    }
}
