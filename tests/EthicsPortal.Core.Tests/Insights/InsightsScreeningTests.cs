using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Insights;
using EthicsPortal.Core.Intake;
using EthicsPortal.Core.Tests.Cases;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Insights;

/// <summary>A flood waiting for screening never shows in the figures; a concern the chair releases counts like any other.</summary>
public class InsightsScreeningTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConcernsWaitingForScreening_AreNotCounted_UntilTheChairReleasesThem()
    {
        await using var w = await Workspace.CreateAsync();
        var intake = w.Get<IntakeService>();
        for (var i = 0; i < 6; i++)
            await w.ConcernAsync();
        var held = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var r = await intake.SubmitAsync(new ConcernSubmission("Ministry", "cloud-storage", "mass-surveillance", "flood " + i, "",
                HowKnown.SawIt, OngoingHarm.Yes, "", [], null, []), forScreening: true, Ct);
            held.Add(r.Value!.CaseReference);
        }
        var insights = w.Get<InsightsService>();
        var month = ReportPeriod.Containing(w.Db.Time.GetUtcNow(), PeriodKind.Month);
        async Task<string> Received() => (await insights.GetReportAsync(w.Chair, month, Ct)).Value!.Headline("received").Value.Display;

        Assert.Equal("6", await Received());
        var first = (await insights.ListPeriodsAsync(w.Chair, PeriodKind.Month, Ct)).Value!;
        Assert.DoesNotContain(first, p => p.Year < 2000);   // a held concern's month (0) is no period

        await using var ctx = await w.Db.ContextAsync();
        foreach (var id in await ctx.Cases.Where(c => held.Contains(c.Reference)).Select(c => c.Id).ToListAsync(Ct))
            Assert.True((await w.Get<CaseService>().ReleaseFromScreeningAsync(id, w.Chair, Ct)).Succeeded);

        Assert.Equal("13", await Received());
    }
}
