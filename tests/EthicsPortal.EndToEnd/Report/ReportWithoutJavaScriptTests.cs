using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Report;

/// <summary>Tor Browser at "Safest" runs no script: the whole intake must work without it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReportWithoutJavaScriptTests(BrowserFixture browser)
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Fact]
    public async Task Report_JavaScriptOff_FillAttachSubmit_ShowsReceiptAndWhatWasRemoved()
    {
        var page = await browser.NewPageAsync(javaScript: false);
        var requests = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);

        await page.GotoAsync("/report");
        await page.FillAsync("[data-testid=customer]", "Ministry of Interior");
        await page.SelectOptionAsync("[data-testid=product]", "ai-services");
        await page.SelectOptionAsync("[data-testid=misuse-type]", "military-targeting");
        await page.FillAsync("[data-testid=description]", "Their analysts use our vision API to pick targets from drone footage.");
        await page.CheckAsync("[data-testid=ongoing-yes]");
        await page.SetInputFilesAsync("[data-testid=attachments]", Fixture("evidence-photo.jpg"));
        await page.ClickAsync("[data-testid=submit]");

        var receipt = await page.Locator("[data-testid=receipt]").InnerTextAsync();
        Assert.Matches("^([0-9A-Z]{4}-){5}[0-9A-Z]{4}$", receipt.Trim());
        var removed = await page.Locator("[data-testid=metadata-removed]").InnerTextAsync();
        Assert.Contains("evidence-photo.jpg", removed, StringComparison.Ordinal);
        Assert.Contains("GPS", removed, StringComparison.OrdinalIgnoreCase);

        await page.CheckAsync("[data-testid=receipt-saved]");
        await page.ClickAsync("[data-testid=receipt-continue]");
        await page.Locator("[data-testid=report-done]").WaitForAsync();

        Assert.All(requests, url => Assert.StartsWith(browser.BaseUrl, url, StringComparison.Ordinal));   // nothing from other sites
        await page.Context.CloseAsync();
    }
}
