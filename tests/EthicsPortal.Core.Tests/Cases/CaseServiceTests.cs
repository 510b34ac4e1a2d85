using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Customers;
using EthicsPortal.Core.FollowUp;
using EthicsPortal.Core.Intake;
using EthicsPortal.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Cases;

public class CaseServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submit_MatchingRule_RoutesToItsQueueAndPriority_OtherwiseTheDefaultQueue()
    {
        await using var w = await Workspace.CreateAsync();

        var routed = await w.ConcernAsync("mass-surveillance");
        var unrouted = await w.ConcernAsync("acceptable-use");

        await using var ctx = await w.Db.ContextAsync();
        var a = await ctx.Cases.SingleAsync(c => c.Id == routed, Ct);
        var b = await ctx.Cases.SingleAsync(c => c.Id == unrouted, Ct);
        Assert.Equal((w.RightsQueue, CasePriority.High), (a.QueueId, a.Priority));
        Assert.Equal(await ctx.Queues.Where(q => q.IsDefault).Select(q => q.Id).SingleAsync(Ct), b.QueueId);
    }

    [Fact]
    public async Task Move_IllegalTransition_FailsWithAClearMessageAndChangesNothing()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();

        var result = await w.Get<CaseService>().MoveAsync(id, w.InQueue, CaseMove.StartInvestigation, "straight to it", ct: Ct);

        Assert.Equal(ErrorKind.IllegalTransition, result.Error!.Kind);
        Assert.Contains("cannot be moved", result.Error.Message, StringComparison.Ordinal);
        await using var ctx = await w.Db.ContextAsync();
        Assert.Equal(CaseStatus.Received, await ctx.Cases.Where(c => c.Id == id).Select(c => c.Status).SingleAsync(Ct));
    }

    [Fact]
    public async Task TwoHandlers_SecondWithAStaleVersion_GetsAConflictAndTheFirstChangeStands()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        var cases = w.Get<CaseService>();
        var seenByBoth = (await w.Get<CaseQueries>().GetAsync(id, w.InQueue, Ct)).Value!.Version;

        var first = await cases.AcknowledgeAsync(id, w.InQueue, seenByBoth, Ct);
        var second = await cases.RejectAsync(id, w.Chair, "out of scope", "Not about our services.", seenByBoth, Ct);

        Assert.True(first.Succeeded);
        Assert.Equal(ErrorKind.Conflict, second.Error!.Kind);
        Assert.Equal(CaseService.ConflictMessage, second.Error.Message);
        await using var ctx = await w.Db.ContextAsync();
        Assert.Equal(CaseStatus.Acknowledged, await ctx.Cases.Where(c => c.Id == id).Select(c => c.Status).SingleAsync(Ct));
    }

    [Fact]
    public async Task Close_WithOutcomeAndActions_StoresTheDecisionEncryptedAndAudited()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        var cases = w.Get<CaseService>();
        await cases.AcknowledgeAsync(id, w.InQueue, ct: Ct);
        await cases.MoveAsync(id, w.InQueue, CaseMove.StartTriage, "triage", ct: Ct);
        await cases.MoveAsync(id, w.InQueue, CaseMove.StartInvestigation, "investigate", ct: Ct);

        var result = await cases.CloseAsync(id, w.Chair, new CloseCase(CaseOutcome.Substantiated,
            [new CaseAction(ActionKind.ServicesTerminated, ["cloud-storage", "ai-services"])],
            "Logs confirm the recordings.", "We ended the customer's storage and AI services.", "decided"), ct: Ct);

        Assert.True(result.Succeeded, result.Error?.Message);
        await using var ctx = await w.Db.ContextAsync();
        var c = await ctx.Cases.Include(x => x.Actions).SingleAsync(x => x.Id == id, Ct);
        Assert.Equal((CaseStatus.Closed, CaseOutcome.Substantiated), (c.Status, c.Outcome!.Value));
        Assert.Equal("cloud-storage,ai-services", Assert.Single(c.Actions).Products);
        Assert.NotNull(c.RationaleCiphertext);
        Assert.True(await ctx.AuditEntries.AnyAsync(e => e.Action == "case.closed" && e.Details!.Contains("ServicesTerminated"), Ct));
    }

    [Fact]
    public async Task LinkCustomer_ThirdConcernWithin90Days_FlagsAllThreeAndTellsTheChair()
    {
        await using var w = await Workspace.CreateAsync();
        var customer = (await w.Get<CustomerService>().SaveAsync(null, new CustomerInput("Ministry of Interior", [], []), w.Admin, Ct)).Value;
        var cases = w.Get<CaseService>();
        var ids = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await w.ConcernAsync());
            Assert.True((await cases.LinkCustomerAsync(ids[^1], w.InQueue, customer, Ct)).Succeeded);
            if (i < 2)
            {
                await using var before = await w.Db.ContextAsync();
                Assert.False(await before.Cases.AnyAsync(c => c.PatternFlagged, Ct));
            }
            w.Db.Time.Advance(TimeSpan.FromDays(20));
        }

        await using var ctx = await w.Db.ContextAsync();
        Assert.Equal(3, await ctx.Cases.CountAsync(c => c.PatternFlagged, Ct));
        Assert.True(await ctx.Notifications.AnyAsync(n => n.UserId == w.Chair && n.Kind == NotificationKind.PatternFlag, Ct));
        Assert.False(await ctx.Notifications.AnyAsync(n => n.UserId == w.InQueue && n.Kind == NotificationKind.PatternFlag, Ct));
    }

    [Fact]
    public async Task LinkCustomer_ConcernsSpreadOverMoreThan90Days_RaiseNoPattern()
    {
        await using var w = await Workspace.CreateAsync();
        var customer = (await w.Get<CustomerService>().SaveAsync(null, new CustomerInput("Ministry of Interior", [], []), w.Admin, Ct)).Value;
        for (var i = 0; i < 3; i++)
        {
            var id = await w.ConcernAsync();
            await w.Get<CaseService>().LinkCustomerAsync(id, w.InQueue, customer, Ct);
            w.Db.Time.Advance(TimeSpan.FromDays(50));
        }

        await using var ctx = await w.Db.ContextAsync();
        Assert.Equal(0, await ctx.Cases.CountAsync(c => c.PatternFlagged, Ct));
    }

    [Fact]
    public async Task RevealIdentity_IsTheCustodiansAlone_NeedsAReason_AndIsAudited()
    {
        await using var w = await Workspace.CreateAsync();
        var receipt = await w.Get<IntakeService>().SubmitAsync(new ConcernSubmission("x", "cloud-storage", "mass-surveillance",
            "text", "", HowKnown.SawIt, OngoingHarm.Yes, "", [], new ReporterIdentity("Riley", "riley@example.net", null), []), Ct);
        await using var ctx = await w.Db.ContextAsync();
        var id = await ctx.Cases.Where(c => c.Reference == receipt.Value!.CaseReference).Select(c => c.Id).SingleAsync(Ct);
        var cases = w.Get<CaseService>();

        var byHandler = await cases.RevealIdentityAsync(id, w.InQueue, "need to interview them", Ct);
        var noReason = await cases.RevealIdentityAsync(id, w.Chair, " ", Ct);
        var revealed = await cases.RevealIdentityAsync(id, w.Chair, "need to interview them", Ct);

        // The identity's key is sealed to the custodians (the chair) only: a handler who may see the case still cannot open it.
        Assert.Equal(ErrorKind.Forbidden, byHandler.Error!.Kind);
        Assert.Equal(EthicsPortal.Core.Sealing.SealedText.IdentityCustodiansOnly, byHandler.Error.Message);
        Assert.False(noReason.Succeeded);
        Assert.Equal("riley@example.net", revealed.Value!.Contact);
        Assert.Equal(1, await ctx.AuditEntries.CountAsync(e => e.Action == "case.identity-revealed", Ct));
    }

    [Fact]
    public async Task Reroute_OnlyTheChair_RecordsTheMove()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        var cases = w.Get<CaseService>();

        Assert.Equal(ErrorKind.Forbidden, (await cases.RerouteAsync(id, w.InQueue, w.OtherQueue, "wrong queue", Ct)).Error!.Kind);
        Assert.True((await cases.RerouteAsync(id, w.Chair, w.OtherQueue, "wrong queue", Ct)).Succeeded);

        await using var ctx = await w.Db.ContextAsync();
        var c = await ctx.Cases.Include(x => x.Events).SingleAsync(x => x.Id == id, Ct);
        Assert.Equal(w.OtherQueue, c.QueueId);
        Assert.Contains(c.Events, e => e.Kind == CaseEventKind.Rerouted && e.Reason.Contains("wrong queue", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OperatorIntake_IssuesAReceiptAndPutsTheRecordInTheReportersInbox()
    {
        await using var w = await Workspace.CreateAsync();

        var filed = await w.Get<IntakeService>().SubmitByOperatorAsync(new ConcernSubmission("x", "ai-services", "military-targeting",
            "Caller says the customer's analysts pick targets with our vision API.", "", HowKnown.WasTold, OngoingHarm.Yes, "", [], null, []), w.InQueue, Ct);
        var refused = await w.Get<IntakeService>().SubmitByOperatorAsync(new ConcernSubmission("x", "ai-services", "military-targeting",
            "text", "", HowKnown.WasTold, OngoingHarm.Yes, "", [], null, []), w.Hr, Ct);

        Assert.True(filed.Succeeded, filed.Error?.Message);
        Assert.Equal(ErrorKind.Forbidden, refused.Error!.Kind);
        var followUp = w.Get<FollowUpService>();
        var visit = (await followUp.OpenAsync(filed.Value!.Receipt, Ct)).Value!;
        var inbox = (await followUp.GetInboxAsync(visit, Ct)).Value!;
        Assert.Contains("record of our conversation", Assert.Single(inbox.Messages).Body, StringComparison.Ordinal);
        await using var ctx = await w.Db.ContextAsync();
        Assert.Equal(ReportChannel.Operator, await ctx.Cases.Where(c => c.Id == visit.CaseId).Select(c => c.Channel).SingleAsync(Ct));
    }

    [Fact]
    public async Task CasePage_ErasedByRetention_ShowsTheTombstoneInsteadOfFailing()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        await w.Get<CaseService>().RejectAsync(id, w.InQueue, "out of scope", "Not about our services.", ct: Ct);
        w.Db.Time.Advance(TimeSpan.FromDays(366));
        await w.Get<EthicsPortal.Core.Retention.RetentionService>().RunOnceAsync(Ct);

        var page = await w.Get<CaseQueries>().GetAsync(id, w.InQueue, Ct);

        Assert.True(page.Succeeded, page.Error?.Message);
        Assert.Contains("erased", page.Value!.Report.Description, StringComparison.Ordinal);
        Assert.Empty(page.Value.Attachments);
        Assert.Equal(CaseStatus.Rejected, page.Value.Row.Status);
    }
}
