using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.FollowUp;
using EthicsPortal.Core.Intake;
using EthicsPortal.Core.Intake.Evidence;
using EthicsPortal.Core.Notifications;
using EthicsPortal.Core.Retention;
using EthicsPortal.Core.Tests.Cases;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Retention;

public class RetentionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A confidential concern with evidence; returns its id and the receipt the reporter was shown.</summary>
    private static async Task<(int Id, string Receipt)> ConfidentialConcernAsync(Workspace w, string misuse = "mass-surveillance")
    {
        var receipt = await w.Get<IntakeService>().SubmitAsync(new ConcernSubmission("Ministry of Interior", "cloud-storage", misuse,
            "Zanzibar-7 intercept programme records every call.", "Data centre 4", HowKnown.SawIt, OngoingHarm.Yes, "", [],
            new ReporterIdentity("Dana Reporter", "dana@example.test", null),
            [new EvidenceFile("note.txt", "bucket gov-intercepts-zanzibar"u8.ToArray())]), Ct);
        Assert.True(receipt.Succeeded, receipt.Error?.Message);
        return (await w.RememberAsync(receipt.Value!), receipt.Value!.Receipt);
    }

    /// <summary>Messages both ways, a note, a check-in with details, then a substantiated close by the chair.</summary>
    private static async Task FullCaseThenCloseAsync(Workspace w, int id)
    {
        var cases = w.Get<CaseService>();
        Assert.True((await cases.AcknowledgeAsync(id, w.Chair, ct: Ct)).Succeeded);
        Assert.True((await cases.SendMessageToReporterAsync(id, w.InQueue, "Can you tell us which bucket?", Ct)).Succeeded);
        Assert.True((await w.Get<FollowUpService>().ReplyAsync(w.Visit(id), "The bucket is gov-intercepts-zanzibar.", Ct)).Succeeded);
        Assert.True((await cases.AddNoteAsync(id, w.InQueue, "Confirmed with the storage team.", Ct)).Succeeded);
        w.Db.Time.Advance(TimeSpan.FromDays(30));
        Assert.True((await w.Get<FollowUpService>().AnswerCheckInAsync(w.Visit(id), 30, true, "My manager moved me to nights.", Ct)).Succeeded);
        await w.SignInAsync(w.Chair);   // a month later: the chair's key idled out of memory long ago, and is unlocked at sign-in again
        Assert.True((await cases.MoveAsync(id, w.Chair, CaseMove.StartTriage, "Looking into it", ct: Ct)).Succeeded);
        Assert.True((await cases.CloseAsync(id, w.Chair, new CloseCase(CaseOutcome.Substantiated,
            [new CaseAction(ActionKind.ServicesSuspended, ["cloud-storage"])], "The logs confirm the programme.",
            "Thank you: we suspended the service.", "Closed after review"), ct: Ct)).Succeeded);
    }

    private static async Task CloseAsync(Workspace w, int id)
        => Assert.True((await w.Get<CaseService>().RejectAsync(id, w.Chair, "out of scope", "Not about our services.", ct: Ct)).Succeeded);

    private static async Task<Case> LoadAsync(Workspace w, int id)
    {
        await using var ctx = await w.Db.ContextAsync();
        return await ctx.Cases.AsNoTracking().AsSplitQuery()
            .Include(c => c.Events).Include(c => c.Attachments).Include(c => c.Messages).Include(c => c.Notes)
            .Include(c => c.CheckIns).Include(c => c.Actions)
            .SingleAsync(c => c.Id == id, Ct);
    }

    [Fact]
    public async Task RunOnce_ClosedCase_IsErasedExactlyWhenThePeriodHasPassed_AndKeepsATombstone()
    {
        await using var w = await Workspace.CreateAsync();
        var (id, _) = await ConfidentialConcernAsync(w);
        await FullCaseThenCloseAsync(w, id);
        var before = await LoadAsync(w, id);
        Assert.NotEmpty(before.Attachments);
        Assert.Equal(2, before.Messages.Count);
        var retention = w.Get<RetentionService>();

        w.Db.Time.Advance(TimeSpan.FromDays(364));
        Assert.Equal(0, (await retention.RunOnceAsync(Ct)).Erased);
        Assert.Null((await LoadAsync(w, id)).ErasedAt);

        w.Db.Time.Advance(TimeSpan.FromDays(1));
        var run = await retention.RunOnceAsync(Ct);

        Assert.Equal(new RetentionRun(0, 1, 0), run);
        var after = await LoadAsync(w, id);
        Assert.Equal(w.Db.Time.GetUtcNow(), after.ErasedAt);
        Assert.Empty(after.ReportCiphertext);
        Assert.Null(after.ReporterIdentityCiphertext);
        Assert.Null(after.ReporterSummaryCiphertext);
        Assert.Null(after.RationaleCiphertext);
        Assert.Empty(after.Attachments);
        Assert.Empty(after.Messages);
        Assert.Empty(after.Notes);
        Assert.All(after.CheckIns, x => Assert.Null(x.DetailsCiphertext));
        Assert.True(Assert.Single(after.CheckIns).TreatedWorse);     // the figure stays, the words go
        Assert.Equal(before.ReceiptHash.Length, after.ReceiptHash.Length);
        Assert.NotEqual(before.ReceiptHash, after.ReceiptHash);
        await using (var ctx = await w.Db.ContextAsync())
        {
            Assert.Equal(0, await ctx.AttachmentContents.CountAsync(Ct));
            Assert.Equal(0, await ctx.CaseMessages.CountAsync(m => m.CaseId == id, Ct));
            Assert.Equal(0, await ctx.CaseNotes.CountAsync(n => n.CaseId == id, Ct));
        }

        // The tombstone: what statistics and the audit chain need.
        Assert.Equal((before.Reference, CaseStatus.Closed, CaseOutcome.Substantiated, before.ReceivedMonth, before.ClosedMonth, before.ReceivedAt, before.QueueId),
            (after.Reference, after.Status, after.Outcome, after.ReceivedMonth, after.ClosedMonth, after.ReceivedAt, after.QueueId));
        Assert.Equal((before.ProductKey, before.MisuseTypeKey, before.Channel, before.SecondsToClose), (after.ProductKey, after.MisuseTypeKey, after.Channel, after.SecondsToClose));
        Assert.Equal(ActionKind.ServicesSuspended, Assert.Single(after.Actions).Kind);

        // History keeps who, when and which state, never the words.
        var erasedEvent = Assert.Single(after.Events, e => e.Kind == CaseEventKind.Erased);
        Assert.Equal(AuditActors.System, erasedEvent.Actor);
        Assert.All(after.Events.Where(e => e.Kind != CaseEventKind.Erased), e => Assert.Equal(CaseEvent.ErasedReason, e.Reason));
        Assert.Equal(before.Events.Select(e => (e.Kind, e.At, e.Actor, e.From, e.To)), after.Events.Where(e => e.Kind != CaseEventKind.Erased).Select(e => (e.Kind, e.At, e.Actor, e.From, e.To)));

        // Erased is final: no second erasure, no reopening.
        Assert.Equal(new RetentionRun(0, 0, 0), await retention.RunOnceAsync(Ct));
        var reopen = await w.Get<CaseService>().MoveAsync(id, w.Chair, CaseMove.Reopen, "new information", ct: Ct);
        Assert.Equal(ErrorKind.IllegalTransition, reopen.Error!.Kind);
    }

    [Fact]
    public async Task RunOnce_OpenCase_IsNeverErased()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        var acknowledged = await w.ConcernAsync();
        await w.Get<CaseService>().AcknowledgeAsync(acknowledged, w.Chair, ct: Ct);

        w.Db.Time.Advance(TimeSpan.FromDays(Queue.MaxRetentionDays + 100));
        var run = await w.Get<RetentionService>().RunOnceAsync(Ct);

        Assert.Equal(new RetentionRun(0, 0, 0), run);
        foreach (var c in new[] { await LoadAsync(w, id), await LoadAsync(w, acknowledged) })
        {
            Assert.Null(c.ErasedAt);
            Assert.NotEmpty(c.ReportCiphertext);
            Assert.NotEmpty(c.Attachments);
        }
    }

    [Fact]
    public async Task LegalHold_StopsErasure_AndReleasingItLetsTheNextRunErase()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        await CloseAsync(w, id);
        var retention = w.Get<RetentionService>();
        Assert.True((await retention.PlaceHoldAsync(id, w.Chair, "Litigation hold requested by legal", Ct)).Succeeded);
        Assert.Equal(ErrorKind.Validation, (await retention.PlaceHoldAsync(id, w.Chair, "again", Ct)).Error!.Kind);

        w.Db.Time.Advance(TimeSpan.FromDays(800));
        Assert.Equal(new RetentionRun(0, 0, 0), await retention.RunOnceAsync(Ct));   // held: neither warned nor erased
        var held = await LoadAsync(w, id);
        Assert.True(held.LegalHold);
        Assert.Null(held.ErasedAt);
        Assert.Single(held.Events, e => e.Kind == CaseEventKind.LegalHoldPlaced && e.Reason == "Litigation hold requested by legal");

        Assert.True((await retention.ReleaseHoldAsync(id, w.Chair, "Litigation settled", Ct)).Succeeded);
        Assert.Equal(1, (await retention.RunOnceAsync(Ct)).Erased);

        var erased = await LoadAsync(w, id);
        Assert.NotNull(erased.ErasedAt);
        Assert.False(erased.LegalHold);
        Assert.Contains(erased.Events, e => e.Kind == CaseEventKind.LegalHoldReleased && e.Reason == CaseEvent.ErasedReason);
        Assert.Equal(ErrorKind.Validation, (await retention.PlaceHoldAsync(id, w.Chair, "too late", Ct)).Error!.Kind);
        await using var ctx = await w.Db.ContextAsync();
        var actions = await ctx.AuditEntries.Where(e => e.Subject == $"case:{erased.Reference}").Select(e => e.Action).ToListAsync(Ct);
        Assert.Contains("case.legal-hold-placed", actions);
        Assert.Contains("case.legal-hold-released", actions);
    }

    [Fact]
    public async Task PlaceHold_ByAHandler_IsForbiddenAndChangesNothing()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        await CloseAsync(w, id);
        var retention = w.Get<RetentionService>();

        var byHandler = await retention.PlaceHoldAsync(id, w.InQueue, "I want to keep it", Ct);
        var byOutsider = await retention.PlaceHoldAsync(id, w.OutsideQueue, "I want to keep it", Ct);
        var byAdmin = await retention.PlaceHoldAsync(id, w.Admin, "I want to keep it", Ct);

        Assert.All(new[] { byHandler, byOutsider, byAdmin }, r => Assert.Equal(ErrorKind.Forbidden, r.Error!.Kind));
        Assert.False((await LoadAsync(w, id)).LegalHold);
        Assert.Equal(ErrorKind.Forbidden, (await retention.ReleaseHoldAsync(id, w.InQueue, "no", Ct)).Error!.Kind);
    }

    [Fact]
    public async Task RunOnce_PerQueuePeriod_IsHonoured()
    {
        await using var w = await Workspace.CreateAsync();
        var rights = await w.ConcernAsync("mass-surveillance");   // routed to the rights queue: 365 days
        var general = await w.ConcernAsync("acceptable-use");     // the default queue, set to 30 days
        int defaultQueue;
        await using (var ctx = await w.Db.ContextAsync())
            defaultQueue = await ctx.Queues.Where(q => q.IsDefault).Select(q => q.Id).SingleAsync(Ct);
        var retention = w.Get<RetentionService>();
        Assert.True((await retention.SetRetentionDaysAsync(defaultQueue, 30, w.Admin, Ct)).Succeeded);
        await CloseAsync(w, rights);
        await CloseAsync(w, general);

        w.Db.Time.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, (await retention.RunOnceAsync(Ct)).Erased);
        w.Db.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, (await retention.RunOnceAsync(Ct)).Erased);

        Assert.NotNull((await LoadAsync(w, general)).ErasedAt);
        Assert.Null((await LoadAsync(w, rights)).ErasedAt);
        w.Db.Time.Advance(TimeSpan.FromDays(335));
        Assert.Equal(1, (await retention.RunOnceAsync(Ct)).Erased);
        Assert.NotNull((await LoadAsync(w, rights)).ErasedAt);
    }

    [Fact]
    public async Task SetRetentionDays_OutOfRangeOrNotAdmin_IsRefusedAndAChangeIsAudited()
    {
        await using var w = await Workspace.CreateAsync();
        var retention = w.Get<RetentionService>();

        Assert.Equal(ErrorKind.Validation, (await retention.SetRetentionDaysAsync(w.OtherQueue, 0, w.Admin, Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.Validation, (await retention.SetRetentionDaysAsync(w.OtherQueue, 3651, w.Admin, Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await retention.SetRetentionDaysAsync(w.OtherQueue, 90, w.Chair, Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await retention.SetRetentionDaysAsync(9999, 90, w.Admin, Ct)).Error!.Kind);
        Assert.True((await retention.SetRetentionDaysAsync(w.OtherQueue, 3650, w.Admin, Ct)).Succeeded);

        await using var ctx = await w.Db.ContextAsync();
        Assert.Equal(3650, await ctx.Queues.Where(q => q.Id == w.OtherQueue).Select(q => q.RetentionDays).SingleAsync(Ct));
        Assert.Equal(Queue.DefaultRetentionDays, await ctx.Queues.Where(q => q.Id == w.RightsQueue).Select(q => q.RetentionDays).SingleAsync(Ct));
        var entry = await ctx.AuditEntries.SingleAsync(e => e.Action == "queue.retention-changed", Ct);
        Assert.Equal(($"queue:{w.OtherQueue}", "days=365->3650"), (entry.Subject, entry.Details));
    }

    [Fact]
    public async Task Warning_Comes14DaysBefore_OnceAndToTheChairOnly()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        await CloseAsync(w, id);
        var retention = w.Get<RetentionService>();

        w.Db.Time.Advance(TimeSpan.FromDays(350));
        Assert.Equal(0, (await retention.RunOnceAsync(Ct)).Warned);
        w.Db.Time.Advance(TimeSpan.FromDays(1));                      // 14 days before day 365
        Assert.Equal(new RetentionRun(1, 0, 0), await retention.RunOnceAsync(Ct));
        w.Db.Time.Advance(TimeSpan.FromDays(5));
        Assert.Equal(new RetentionRun(0, 0, 0), await retention.RunOnceAsync(Ct));   // once only

        await using var ctx = await w.Db.ContextAsync();
        var warning = Assert.Single(await ctx.Notifications.Where(n => n.Kind == NotificationKind.RetentionWarning).ToListAsync(Ct));
        Assert.Equal((w.Chair, id), (warning.UserId, warning.CaseId));
        var reference = (await LoadAsync(w, id)).Reference;
        Assert.Contains(reference, warning.Text, StringComparison.Ordinal);
        Assert.Contains("legal hold", warning.Text, StringComparison.Ordinal);
        Assert.Single(await ctx.AuditEntries.Where(e => e.Action == "retention.warned" && e.Subject == $"case:{reference}").ToListAsync(Ct));
    }

    [Fact]
    public async Task RunOnce_AfterErasure_TheAuditChainVerifies()
    {
        await using var w = await Workspace.CreateAsync();
        var (id, _) = await ConfidentialConcernAsync(w);
        await FullCaseThenCloseAsync(w, id);

        w.Db.Time.Advance(TimeSpan.FromDays(365));
        Assert.Equal(1, (await w.Get<RetentionService>().RunOnceAsync(Ct)).Erased);

        var verification = await w.Get<AuditVerifier>().VerifyAsync(Ct);
        Assert.True(verification.IsIntact, verification.Message);
        await using var ctx = await w.Db.ContextAsync();
        var reference = (await LoadAsync(w, id)).Reference;
        var entry = await ctx.AuditEntries.SingleAsync(e => e.Action == "retention.erased", Ct);
        Assert.Equal(($"case:{reference}", AuditActors.System, "retentionDays=365"), (entry.Subject, entry.Actor, entry.Details));
    }

    [Fact]
    public async Task OpenAsync_ReceiptOfAnErasedCase_NoLongerOpensIt_NorDoesAVisitOpenedBefore()
    {
        await using var w = await Workspace.CreateAsync();
        var (id, receipt) = await ConfidentialConcernAsync(w);
        await FullCaseThenCloseAsync(w, id);
        var followUp = w.Get<FollowUpService>();
        var visit = (await followUp.OpenAsync(receipt, Ct)).Value!;
        Assert.Equal(id, visit.CaseId);

        w.Db.Time.Advance(TimeSpan.FromDays(365));
        await w.Get<RetentionService>().RunOnceAsync(Ct);

        var opened = await followUp.OpenAsync(receipt, Ct);
        Assert.Equal(ErrorKind.NotFound, opened.Error!.Kind);
        Assert.Equal(FollowUpService.NotFoundMessage, opened.Error.Message);
        // A visit opened before erasure holds the reporter's key, but its copy of the case key was shredded: not found, no crash.
        var inbox = await followUp.GetInboxAsync(visit, Ct);
        Assert.Equal(ErrorKind.NotFound, inbox.Error!.Kind);
    }

    [Fact]
    public async Task RunOnce_Erasure_LeavesNoCiphertextInTheRawDatabaseFile()
    {
        await using var w = await Workspace.CreateAsync();
        // PostgreSQL keeps an updated row's old version until VACUUM and in its WAL; SECURITY.md says what that means.
        Assert.SkipWhen(w.Db.IsPostgreSql, "SQLite's secure_delete and checkpoint are what this test checks; PostgreSQL has neither.");
        var (id, _) = await ConfidentialConcernAsync(w);
        await FullCaseThenCloseAsync(w, id);
        var before = await LoadAsync(w, id);
        byte[] attachment;
        await using (var ctx = await w.Db.ContextAsync())
            attachment = await ctx.AttachmentContents.Select(a => a.Ciphertext).SingleAsync(Ct);
        var secrets = new List<byte[]>
        {
            before.ReportCiphertext, before.ReporterIdentityCiphertext!, before.ReporterSummaryCiphertext!, before.RationaleCiphertext!,
            attachment, before.Attachments.Single().FileNameCiphertext, before.Notes.Single().BodyCiphertext,
            before.CheckIns.Single().DetailsCiphertext!,
        };
        secrets.AddRange(before.Messages.Select(m => m.BodyCiphertext));
        var raw = await RawDatabaseAsync(w.Db);
        Assert.All(secrets, s => Assert.True(Contains(raw, s), "the search must find the ciphertext before erasure"));

        w.Db.Time.Advance(TimeSpan.FromDays(365));
        Assert.Equal(1, (await w.Get<RetentionService>().RunOnceAsync(Ct)).Erased);

        raw = await RawDatabaseAsync(w.Db);
        Assert.All(secrets, s => Assert.False(Contains(raw, s), "erased ciphertext is still in the database file"));
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>Every byte SQLite holds on disk after a truncating checkpoint: the database, its write-ahead log and shared memory.</summary>
    private static async Task<byte[]> RawDatabaseAsync(TestDatabase db)
    {
        SqliteConnection.ClearAllPools();
        await using (var c = new SqliteConnection(CoreServices.SqliteConnectionString(db.DatabasePath)))
        {
            await c.OpenAsync(Ct);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await cmd.ExecuteNonQueryAsync(Ct);
        }
        SqliteConnection.ClearAllPools();
        using var all = new MemoryStream();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (!File.Exists(db.DatabasePath + suffix))
                continue;
            await using var stream = new FileStream(db.DatabasePath + suffix, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            await stream.CopyToAsync(all, Ct);
        }
        return all.ToArray();
    }
}
