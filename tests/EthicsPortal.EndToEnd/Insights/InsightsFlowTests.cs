using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Insights;

/// <summary>HR in Chromium: the dashboard over the circuit, a CSV that matches the screen, the print view.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InsightsFlowTests(BrowserFixture browser)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _seeded;

    private async Task SeedOnceAsync()
    {
        await Gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!_seeded)
                await InsightsDemoData.SeedAsync(browser.Portal.Services.GetRequiredService<IDbContextFactory<EthicsDbContext>>(), TestContext.Current.CancellationToken);
            _seeded = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    [Fact]
    public async Task HR_OpensInsights_SeesChartsAndHiddenCells_ExportsTheSameCsv()
    {
        await SeedOnceAsync();
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1400, 1000);
        await BrowserFixture.SignInAsync(page, "hr@demo.local");

        await page.ClickAsync("[data-testid=nav-insights]");
        await page.WaitForSelectorAsync("[data-testid=insights-report]");
        await page.GotoAsync("/insights?period=2026-Q3");
        await page.Locator("[data-testid=insights-report][data-period='2026-Q3']").WaitForAsync();

        Assert.Equal(1, await page.Locator("[data-testid=chart-by-type] svg").CountAsync());
        Assert.Equal(1, await page.Locator("[data-testid=chart-over-time] svg").CountAsync());
        Assert.EndsWith("%", (await page.InnerTextAsync("[data-testid=compliance-ack]")).Trim(), StringComparison.Ordinal);
        var hidden = await page.Locator("td[data-testid=suppressed]").AllInnerTextsAsync();
        Assert.NotEmpty(hidden);
        Assert.All(hidden, t => Assert.Matches("^n?<5$", t.Trim()));
        // For people to look at: the whole page and the first screen.
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "ethicsportal-insights-hr.png"), FullPage = true });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "ethicsportal-insights-hr-top.png") });

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=export-csv]"));
        var csv = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        Assert.Equal("insights-2026-Q3.csv", download.SuggestedFilename);
        Assert.Contains("Period,Q3 2026", csv, StringComparison.Ordinal);
        var typeRows = await page.Locator("[data-table=by-type] tbody tr").AllAsync();
        foreach (var row in typeRows)
        {
            var cells = (await row.Locator("th, td").AllInnerTextsAsync()).Select(t => t.Trim()).ToArray();
            Assert.Contains(string.Join(',', cells), csv, StringComparison.Ordinal);
        }

        // Choosing "Month" shows the newest month of the quarter on screen.
        await page.ClickAsync("[data-testid=insights-period-kind]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Month" }).ClickAsync();
        await page.Locator("[data-testid=insights-report][data-period='2026-09']").WaitForAsync();
        Assert.Contains("period=2026-09", page.Url, StringComparison.Ordinal);

        // A month with fewer than five concerns is shown as its quarter.
        await page.GotoAsync("/insights?period=2026-02");
        await page.Locator("[data-testid=insights-notice]").WaitForAsync();
        Assert.Equal("Q1 2026", (await page.InnerTextAsync("[data-testid=insights-period-shown]")).Trim());

        // The print view: static, no navigation, laid out for paper.
        await page.GotoAsync("/insights/print?period=2026-Q3");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await page.Locator("[data-testid=insights-report][data-period='2026-Q3']").WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=nav]").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "ethicsportal-insights-print.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
