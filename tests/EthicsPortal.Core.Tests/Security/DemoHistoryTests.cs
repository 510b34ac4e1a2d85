using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Insights;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Security;

/// <summary>The demo's history is there so HR learns something: insights on it must not be a page of "&lt;5".</summary>
public sealed class DemoHistoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DemoWorkspace_EighteenMonthsThroughTheWorkflow_GiveAQuarterOfInsightsWhoseMainSplitsShow()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Get<DemoSeeder>().SeedAsync(Ct);
        await db.Get<DemoSeeder>().SeedWorkspaceAsync(Ct);

        await using (var context = await db.Get<IDbContextFactory<EthicsDbContext>>().CreateDbContextAsync(Ct))
        {
            var now = db.Time.GetUtcNow();
            var cases = await context.Cases.AsNoTracking().Select(c => new { c.ReceivedAt, c.Status, c.Channel }).ToListAsync(Ct);
            Assert.InRange(cases.Count, 500, 1000);
            Assert.True(cases.Min(c => c.ReceivedAt) <= now.AddMonths(-17), "the history reaches back about 18 months");
            Assert.All(Enum.GetValues<ReportChannel>(), ch => Assert.Contains(cases, c => c.Channel == ch));
            foreach (var status in new[] { CaseStatus.Received, CaseStatus.Investigating, CaseStatus.Closed, CaseStatus.Rejected })
                Assert.Contains(cases, c => c.Status == status);
        }

        var quarter = ReportPeriod.Containing(db.Time.GetUtcNow().AddMonths(-4), PeriodKind.Quarter);
        string hr;
        await using (var context = await db.Get<IDbContextFactory<EthicsDbContext>>().CreateDbContextAsync(Ct))
            hr = await context.Users.Where(u => u.Email == "hr@demo.local").Select(u => u.Id).SingleAsync(Ct);
        var report = (await db.Get<InsightsService>().GetReportAsync(hr, quarter, Ct)).Value!;
        var cells = report.Cells.ToList();

        var hiddenWhere = string.Join("; ", report.Tables.Select(t => $"{t.Key}: " + string.Join(",", t.Rows.Select(r => $"{r.Label}=" + string.Join("/", r.Cells.Select(c => c.Display))))));
        // Old months have few cases still open, so their open/closed split can be hidden with its complements: that is the
        // suppression working. The splits HR reads first must show.
        foreach (var key in new[] { "received", "compliance-ack", "compliance-feedback" })
            Assert.False(report.Headline(key).Value.Suppressed, $"{key} is hidden. {hiddenWhere}");
        foreach (var key in new[] { "by-type", "by-product", "by-channel", "actions" })
            Assert.True(report.Table(key).Rows.Count(r => !r.Cells[0].Suppressed) >= report.Table(key).Rows.Count / 2, $"{key} is mostly hidden. {hiddenWhere}");
        Assert.True(cells.Count(c => c.Suppressed) * 5 < cells.Count * 2, $"{cells.Count(c => c.Suppressed)} of {cells.Count} figures hidden. {hiddenWhere}");
    }
}
