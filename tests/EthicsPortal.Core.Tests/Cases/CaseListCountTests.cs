using EthicsPortal.Core.Cases;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Tests.Cases;

/// <summary>The queue counts matches only up to a limit, and says when more match.</summary>
public sealed class CaseListCountTests
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
