using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using EthicsPortal.Core.Security;
using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Accessibility;

/// <summary>
/// axe-core (Deque.AxeCore.Playwright) on every page, in English and in Arabic (right to left): no serious or critical
/// violation. Reporter pages are checked with JavaScript on and off; staff pages as the roles that use them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser)
{
    public static TheoryData<string, string, bool> ReporterPages()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var language in new[] { "en", "ar" })
            foreach (var javaScript in new[] { true, false })
                foreach (var path in new[] { "/", "/report", "/followup", "/verify", "/account/login" })
                    data.Add(path, language, javaScript);
        return data;
    }

    private static async Task UseLanguageAsync(IPage page, string language)
    {
        if (language != "en")
            await page.GotoAsync($"/language/{language}?returnUrl=%2F");
    }

    /// <summary>
    /// axe runs in the page, so with JavaScript off the page is first rendered without script (what the reporter sees)
    /// and its HTML then checked in a scripted page at the same address.
    /// </summary>
    private async Task<AxeResult> AnalyzeAsync(IPage page, bool javaScript)
    {
        if (javaScript)
            return await page.RunAxe();
        var html = await page.ContentAsync();
        var url = page.Url;
        var checker = await browser.NewPageAsync();
        await checker.RouteAsync(url, route => route.FulfillAsync(new() { Status = 200, ContentType = "text/html; charset=utf-8", Body = html }));
        await checker.GotoAsync(url);
        var result = await checker.RunAxe();
        await checker.Context.CloseAsync();
        return result;
    }

    private static void AssertNoSeriousViolations(AxeResult result, string what)
    {
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{what}: " + string.Join("; ", serious.Select(v =>
            $"{v.Id} ({v.Impact}) at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
    }

    [Theory]
    [MemberData(nameof(ReporterPages))]
    public async Task ReporterPage_HasNoSeriousViolations(string path, string language, bool javaScript)
    {
        var page = await browser.NewPageAsync(javaScript);
        await UseLanguageAsync(page, language);

        await page.GotoAsync(path);
        var result = await AnalyzeAsync(page, javaScript);

        AssertNoSeriousViolations(result, $"{path} ({language}, JavaScript {(javaScript ? "on" : "off")})");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("chair@demo.local", "/staff", "en")]
    [InlineData("chair@demo.local", "/cases", "en")]
    [InlineData("chair@demo.local", "/cases", "ar")]
    [InlineData("chair@demo.local", "/notifications", "en")]
    [InlineData("chair@demo.local", "/customers", "en")]
    [InlineData("chair@demo.local", "/cases/access", "en")]
    [InlineData("chair@demo.local", "/cases/recovery", "en")]
    [InlineData("hr@demo.local", "/insights", "en")]
    [InlineData("hr@demo.local", "/insights", "ar")]
    [InlineData("admin@demo.local", "/admin/users", "en")]
    [InlineData("admin@demo.local", "/admin/queues", "en")]
    [InlineData("admin@demo.local", "/admin/audit", "en")]
    [InlineData("handler@demo.local", "/cases/new", "en")]
    public async Task StaffPage_HasNoSeriousViolations(string email, string path, string language)
    {
        var page = await browser.NewPageAsync();
        await UseLanguageAsync(page, language);
        await BrowserFixture.SignInAsync(page, email);

        await page.GotoAsync(path);
        await page.WaitForSelectorAsync("[data-testid=interactive]", new() { State = WaitForSelectorState.Attached });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var result = await SettledAxeAsync(page);

        AssertNoSeriousViolations(result, $"{path} as {email} ({language})");
        if (language == "ar")
            Assert.Equal("rtl", await page.GetAttributeAsync("html", "dir"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task OneCaseFile_HasNoSeriousViolations()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/report");
        await page.SelectOptionAsync("[data-testid=product]", "cloud-storage");
        await page.SelectOptionAsync("[data-testid=misuse-type]", "mass-surveillance");
        await page.FillAsync("[data-testid=description]", "A customer indexes intercepted messages in our search service.");
        await page.ClickAsync("[data-testid=submit]");
        await page.Locator("[data-testid=receipt]").WaitForAsync();
        await BrowserFixture.SignInAsync(page, "chair@demo.local");
        await page.GotoAsync("/cases");
        await page.WaitForSelectorAsync("[data-testid=case-row]");
        await page.Locator("[data-testid=case-row]").First.ClickAsync();
        await page.WaitForURLAsync("**/cases/*", new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForSelectorAsync("[data-testid=case-status]");   // the case file has rendered

        AssertNoSeriousViolations(await SettledAxeAsync(page), page.Url);
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Staff pages load their data over the circuit after the page itself: axe runs once no loading bar is left, with
    /// CSS transitions off, so it judges the page a person reads — not a button caught mid-fade from disabled to
    /// enabled (a full run once measured such a button's contrast halfway through its 250 ms transition).
    /// </summary>
    private static async Task<Deque.AxeCore.Commons.AxeResult> SettledAxeAsync(IPage page)
    {
        await page.WaitForSelectorAsync(".mud-progress-linear", new() { State = WaitForSelectorState.Detached });
        await page.AddStyleTagAsync(new() { Content = "*, *::before, *::after { transition: none !important; animation: none !important; }" });
        return await page.RunAxe();
    }
}
