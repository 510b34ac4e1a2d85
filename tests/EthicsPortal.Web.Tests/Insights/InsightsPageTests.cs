using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using CsvHelper;
using EthicsPortal.Core;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Insights;
using EthicsPortal.Core.Security;
using EthicsPortal.Web.Components.Insights;
using Microsoft.AspNetCore.Components;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.JSInterop;

namespace EthicsPortal.Web.Tests.Insights;

/// <summary>The insights page over the real service and a real SQLite file with a few concerns in it.</summary>
public sealed class InsightsPageTests : CoreBackedTestContext
{
    private static readonly string[] SummaryRecord = ["Summary"];
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public InsightsPageTests() : base(new FakeTimeProvider(InsightsData.Now))
    {
        SignIn(Roles.HR);
        InsightsData.SeedAsync(Get<IDbContextFactory<EthicsDbContext>>(), Ct).GetAwaiter().GetResult();
    }

    private string _userId = "";

    /// <summary>A real account: the insights service reads the member's roles from the database, not from the page.</summary>
    private void SignIn(string role) => _userId = SignInAs(role.ToLowerInvariant(), role);

    private IRenderedComponent<InsightsPage> RenderAt(string period)
    {
        RenderProviders();
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("period", period));
        return Render<InsightsPage>();
    }

    private IRenderedComponent<InsightsPage> RenderPage(string period)
    {
        var page = RenderAt(period);
        page.WaitForAssertion(() => Assert.NotNull(page.Instance.Report), TimeSpan.FromSeconds(10));
        return page;
    }

    [Fact]
    public void Render_Month_ShowsChartsTablesComplianceAndHooks()
    {
        var page = RenderPage("2026-03");

        Assert.Contains("March 2026", page.Find("[data-testid=insights-period]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=chart-by-type] svg"));
        Assert.NotNull(page.Find("[data-testid=chart-over-time] svg"));
        Assert.Equal("75%", page.Find("[data-testid=compliance-ack]").TextContent.Trim());      // 12 of 16: 2 late, 2 overdue
        Assert.NotNull(page.Find("[data-testid=compliance-feedback]"));
        Assert.NotNull(page.Find("[data-testid=export-csv]"));
        var byType = page.Find("[data-table=by-type]");
        Assert.Contains("Mass surveillance of civilians", byType.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("mass-surveillance", page.Find("[data-testid=insights-report]").TextContent, StringComparison.Ordinal);   // labels, never keys
        Assert.Equal("8", Cell(byType, "mass-surveillance"));
        Assert.Equal("<5", Cell(byType, "export-control"));
        Assert.Equal("16", byType.QuerySelector("tfoot td")!.TextContent.Trim());
        Assert.All(page.FindAll("[data-testid=suppressed]"), c => Assert.Matches("^n?<5$", c.TextContent.Trim()));
        Assert.Equal(page.Instance.Report!.Cells.Count(c => c.Suppressed), page.FindAll("[data-testid=suppressed]").Count);
    }

    [Theory]
    [InlineData("2026-01", "Q1 2026", "January 2026 had fewer than 5 concerns")]   // January is empty; Q1 has 16
    [InlineData("2026-04", "2026", "April 2026 had fewer than 5 concerns")]       // Q2 has only April's 3
    public void Render_SmallPeriod_ShowsACoarserOneAndSaysSo(string requested, string shown, string notice)
    {
        var page = RenderPage(requested);

        Assert.Equal(shown, page.Find("[data-testid=insights-period-shown]").TextContent.Trim());
        Assert.Contains(notice, page.Find("[data-testid=insights-notice]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Anything_HasNoLinkToACaseNoReferenceAndNoName()
    {
        var page = RenderPage("2026");

        Assert.DoesNotContain(page.FindAll("a[href]"), a => a.GetAttribute("href")!.Contains("case", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("C-W0", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("staff:h", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AsHandler_ShowsTheRefusalAndNoFigures()
    {
        SignIn(Roles.Handler);

        var page = RenderAt("2026");

        page.WaitForAssertion(() => Assert.Contains("HR, Legal, the Chair and Admins", page.Find("[data-testid=insights-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=insights-report]"));
    }

    [Theory]
    [InlineData("2026-03")]
    [InlineData("2026-Q1")]
    [InlineData("2026")]
    public void ExportCsv_Click_DownloadsExactlyWhatIsOnScreenAndIsAudited(string period)
    {
        var module = JSInterop.SetupModule(InsightsPage.ScriptPath);
        string? downloaded = null;
        string? fileName = null;
        module.SetupVoid("downloadFile", invocation =>
        {
            fileName = (string)invocation.Arguments[0]!;
            var stream = ((DotNetStreamReference)invocation.Arguments[2]!).Stream;
            using var reader = new StreamReader(stream, leaveOpen: true);
            downloaded = reader.ReadToEnd();
            return true;
        }).SetVoidResult();
        var page = RenderPage(period);

        page.Find("[data-testid=export-csv]").Click();
        page.WaitForAssertion(() => Assert.NotNull(downloaded), TimeSpan.FromSeconds(5));

        var report = page.Instance.Report!;
        Assert.Equal($"insights-{report.Period.Token}.csv", fileName);
        Assert.Equal(InsightsCsv.Write(report), downloaded);
        Assert.Equal(ScreenRecords(page), CsvRecords(downloaded!).SkipWhile(r => r[0] != "Summary").ToList());
        Assert.Equal(CsvRecords(downloaded!).Any(r => r.Contains("<5")), page.FindAll("[data-testid=suppressed]").Count > 0);

        using var db = Services.GetRequiredService<IDbContextFactory<EthicsDbContext>>().CreateDbContext();
        var entry = db.AuditEntries.OrderByDescending(e => e.Sequence).First();
        Assert.Equal(("insights.exported", $"staff:{_userId}", $"period={report.Period.Token}"), (entry.Action, entry.Actor, entry.Details));
    }

    [Fact]
    public void Csv_HiddenCells_StayHiddenWithTheSameMarker()
    {
        var page = RenderPage("2026-03");
        var csv = CsvRecords(InsightsCsv.Write(page.Instance.Report!));

        var exportControl = csv.Single(r => r[0] == "Export control or sanctions");
        Assert.Equal("<5", exportControl[1]);
        Assert.Equal(page.FindAll("[data-testid=suppressed]").Select(e => e.TextContent.Trim()).Order(),
            csv.SkipWhile(r => r[0] != "Summary").Skip(1).SelectMany(r => r.Skip(1)).Where(f => f is "<5" or "n<5").Order());
    }

    /// <summary>What a person reads on the page, line by line, in the CSV's order: summary, then each table.</summary>
    private static List<string[]> ScreenRecords(IRenderedComponent<InsightsPage> page)
    {
        var records = new List<string[]> { SummaryRecord };
        foreach (var headline in page.FindAll("[data-headline]"))
            records.Add(headline.Children.Select(Text).ToArray());
        foreach (var section in page.FindAll("[data-section]"))
        {
            records.Add([Text(section.QuerySelector("h6")!)]);
            var table = section.QuerySelector("[data-table] table") ?? section.QuerySelector("table")!;
            foreach (var row in table.QuerySelectorAll("tr"))
                records.Add(row.Children.Select(Text).ToArray());
            if (section.QuerySelector(".ep-insights-note") is { } note)
                records.Add(["Note", Text(note)]);
        }
        return records;
    }

    private static string Text(IElement e) => e.TextContent.Trim();

    private static List<string[]> CsvRecords(string csv)
    {
        using var reader = CsvReader.FromText(csv, CsvReaderOptions.Default with { HasHeader = false });
        var records = new List<string[]>();
        while (reader.Read())
            records.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        return records;
    }

    private static string Cell(IElement table, string rowKey) => table.QuerySelector($"tr[data-row={rowKey}] td")!.TextContent.Trim();
}
