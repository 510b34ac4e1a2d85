using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Customers;
using EthicsPortal.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Cases;

/// <summary>
/// Who can read a case, through every service: the queue, the case page, downloads, commands, counts and
/// notifications. Deny by default.
/// </summary>
public class CaseAuthorizationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every way a person might reach a case; true when any of them succeeds.</summary>
    private static async Task<Dictionary<string, bool>> ReachAsync(Workspace w, string userId, int caseId)
    {
        var queries = w.Get<CaseQueries>();
        var cases = w.Get<CaseService>();
        await using var ctx = await w.Db.ContextAsync();
        var attachmentId = await ctx.Attachments.Where(a => a.CaseId == caseId).Select(a => a.Id).FirstOrDefaultAsync(Ct);
        return new Dictionary<string, bool>
        {
            ["queue"] = (await queries.QueryAsync(userId, new CaseFilter(PageSize: 200), Ct)).Rows.Any(r => r.Id == caseId),
            ["count"] = (await queries.QueryAsync(userId, new CaseFilter(PageSize: 1), Ct)).Total > 0,
            ["page"] = (await queries.GetAsync(caseId, userId, Ct)).Succeeded,
            ["download"] = (await queries.DownloadAsync(caseId, attachmentId, userId, Ct)).Succeeded,
            ["note"] = (await cases.AddNoteAsync(caseId, userId, "probe", Ct)).Succeeded,
            ["message"] = (await cases.SendMessageToReporterAsync(caseId, userId, "probe", Ct)).Succeeded,
            ["notifications"] = (await w.Get<NotificationService>().ListAsync(userId, ct: Ct)).Any(n => n.CaseId == caseId),
        };
    }

    [Fact]
    public async Task Case_HandlerInTheQueueAndChair_CanReadAndAct()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();

        Assert.All(await ReachAsync(w, w.InQueue, id), r => Assert.True(r.Value, r.Key));
        Assert.True((await ReachAsync(w, w.Chair, id))["page"]);
    }

    [Fact]
    public async Task Case_HandlerOutsideTheQueue_HrAndAdmin_CannotReachItAnyWay()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();

        foreach (var who in new[] { w.OutsideQueue, w.Hr, w.Admin })
            Assert.All(await ReachAsync(w, who, id), r => Assert.False(r.Value, $"{who}: {r.Key}"));
    }

    [Fact]
    public async Task Case_MemberNamedByTheReporter_CannotReachItAnyWay_NorIsNotified()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync(exclude: [w.Excluded]);

        Assert.All(await ReachAsync(w, w.Excluded, id), r => Assert.False(r.Value, r.Key));
        await using var ctx = await w.Db.ContextAsync();
        Assert.True(await ctx.Notifications.AnyAsync(n => n.CaseId == id && n.UserId == w.InQueue, Ct));   // others were told
        Assert.False(await ctx.Notifications.AnyAsync(n => n.CaseId == id && n.UserId == w.Excluded, Ct));
    }

    [Fact]
    public async Task Case_ExcludedLaterByTheChair_DisappearsEvenFromEarlierNotifications_AndIsAudited()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        Assert.True((await ReachAsync(w, w.Excluded, id))["notifications"]);

        var byHandler = await w.Get<CaseService>().ExcludeAsync(id, w.InQueue, w.Excluded, "knows the customer", Ct);
        var byChair = await w.Get<CaseService>().ExcludeAsync(id, w.Chair, w.Excluded, "knows the customer", Ct);

        Assert.Equal(ErrorKind.Forbidden, byHandler.Error!.Kind);
        Assert.True(byChair.Succeeded);
        Assert.All(await ReachAsync(w, w.Excluded, id), r => Assert.False(r.Value, r.Key));
        await using var ctx = await w.Db.ContextAsync();
        Assert.True(await ctx.AuditEntries.AnyAsync(e => e.Action == "case.member-excluded" && e.Details == $"user:{w.Excluded}", Ct));
    }

    [Fact]
    public async Task Case_LinkedToACustomer_HidesItFromTheAccountTeam()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        var customer = (await w.Get<CustomerService>().SaveAsync(null, new CustomerInput("Ministry of Interior", ["MoI"], [w.AccountTeam]), w.Admin, Ct)).Value;
        Assert.True((await ReachAsync(w, w.AccountTeam, id))["page"]);

        Assert.True((await w.Get<CaseService>().LinkCustomerAsync(id, w.InQueue, customer, Ct)).Succeeded);

        Assert.All(await ReachAsync(w, w.AccountTeam, id), r => Assert.False(r.Value, r.Key));
        Assert.True((await ReachAsync(w, w.InQueue, id))["page"]);
    }

    [Fact]
    public async Task Assign_ExcludedMember_IsRefused()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync(exclude: [w.Excluded]);

        var result = await w.Get<CaseService>().AssignAsync(id, w.Chair, w.Excluded, "please take it", Ct);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Assign_HandlerOutsideTheQueue_MakesTheCaseVisibleToThem()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();

        Assert.True((await w.Get<CaseService>().AssignAsync(id, w.Chair, w.OutsideQueue, "handover: expertise", Ct)).Succeeded);

        Assert.True((await ReachAsync(w, w.OutsideQueue, id))["page"]);
    }

    [Fact]
    public async Task View_CaseContent_IsAudited()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();

        await w.Get<CaseQueries>().GetAsync(id, w.InQueue, Ct);

        await using var ctx = await w.Db.ContextAsync();
        Assert.True(await ctx.AuditEntries.AnyAsync(e => e.Action == "case.viewed" && e.Actor == $"staff:{w.InQueue}", Ct));
    }
}
