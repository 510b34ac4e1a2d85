using EthicsPortal.Core.Cases;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Tests.Cases;

/// <summary>The queue counts matches only up to a limit, and says when more match.</summary>
public class CaseListCountTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CountStopsAtTheLimit_AndSaysMoreMatch_WhileEveryRowIsStillListed()
    {
        await using var w = await Workspace.CreateAsync(s => s.Configure<CaseListOptions>(o => o.CountLimit = 3));
        for (var i = 0; i < 5; i++)
            await w.ConcernAsync();
        await w.ConcernAsync(misuse: "other");

        var all = await w.Get<CaseQueries>().QueryAsync(w.Chair, new CaseFilter(), Ct);
        var narrow = await w.Get<CaseQueries>().QueryAsync(w.Chair, new CaseFilter(MisuseTypeKey: "other"), Ct);

        Assert.Equal(3, all.Total);
        Assert.True(all.MoreThanTotal);
        Assert.Equal(6, all.Rows.Count);   // a page is never cut short by the count
        Assert.Equal(1, narrow.Total);
        Assert.False(narrow.MoreThanTotal);
    }
}

public class CaseListFilterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenAndOverdueFilters_KeepOnlyWhatTheySay()
    {
        await using var w = await Workspace.CreateAsync();
        var waiting = await w.ConcernAsync();        // never acknowledged: overdue after 7 days
        var acknowledged = await w.ConcernAsync();   // acknowledged in time: feedback not yet due
        var rejected = await w.ConcernAsync();       // decided: neither open nor overdue
        var cases = w.Get<CaseService>();
        Assert.True((await cases.AcknowledgeAsync(acknowledged, w.InQueue, ct: Ct)).Succeeded);
        Assert.True((await cases.RejectAsync(rejected, w.InQueue, "out of scope", "Not about our services.", ct: Ct)).Succeeded);
        w.Db.Time.Advance(TimeSpan.FromDays(8));
        var queries = w.Get<CaseQueries>();

        var open = await queries.QueryAsync(w.Chair, new CaseFilter(OpenOnly: true), Ct);
        var overdue = await queries.QueryAsync(w.Chair, new CaseFilter(OverdueOnly: true), Ct);
        var byDeadline = await queries.QueryAsync(w.Chair, new CaseFilter(Sort: CaseSort.AcknowledgeBy), Ct);

        Assert.Equal(new[] { waiting, acknowledged }.Order(), open.Rows.Select(r => r.Id).Order());
        Assert.Equal([waiting], overdue.Rows.Select(r => r.Id));
        Assert.Equal(3, byDeadline.Total);
        Assert.Equal(byDeadline.Rows.OrderBy(r => r.AcknowledgeBy).ThenBy(r => r.Id).Select(r => r.Id), byDeadline.Rows.Select(r => r.Id));
    }
}
