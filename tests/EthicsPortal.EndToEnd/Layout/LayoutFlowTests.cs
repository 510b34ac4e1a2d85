using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Layout;

/// <summary>What a person sees at the sizes they use: nothing runs off a phone's screen, a case reference reads on one line.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LayoutFlowTests(BrowserFixture browser)
{
    private async Task<IPage> PageAsync(int width, int height, bool javaScript = true)
    {
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = browser.BaseUrl, JavaScriptEnabled = javaScript, ViewportSize = new() { Width = width, Height = height } });
        context.SetDefaultTimeout(45_000);
        return await context.NewPageAsync();
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page, string what)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]");
        var (scroll, client) = (widths[0], widths[1]);
        Assert.True(scroll <= client + 1, $"{what} is {scroll}px wide on a {client}px screen");
    }

    /// <summary>A concern with a long unbroken word, from the reporter page; returns its reference.</summary>
    private async Task<string> ReportAsync()
    {
        var reporter = await PageAsync(390, 844, javaScript: false);
        await reporter.GotoAsync("/report");
        await reporter.SelectOptionAsync("[data-testid=product]", "compute");
        await reporter.SelectOptionAsync("[data-testid=misuse-type]", "privacy-breach");
        await reporter.FillAsync("[data-testid=description]", "Backups copied to s3://an-unapproved-region-bucket-with-a-very-long-name-that-never-breaks/nightly");
        await reporter.ClickAsync("[data-testid=submit]");
        await reporter.Locator("[data-testid=receipt]").WaitForAsync();
        await AssertNoSidewaysScrollAsync(reporter, "the receipt page");
        var reference = await reporter.Locator("[data-testid=receipt-panel]").GetAttributeAsync("data-reference");
        await reporter.Context.CloseAsync();
        return reference!;
    }

    [Fact]
    public async Task Phone_VerifyAndTheCaseHistory_StayOnTheScreen()
    {
        var reference = await ReportAsync();
        var verify = await PageAsync(390, 844, javaScript: false);
        await verify.GotoAsync("/verify");
        await verify.Locator("[data-testid=public-key]").WaitForAsync();
        await AssertNoSidewaysScrollAsync(verify, "/verify");
        await verify.Context.CloseAsync();

        var phone = await PageAsync(390, 844);
        await BrowserFixture.SignInAnywhereAsync(phone, "chair@demo.local");
        await phone.GotoAsync("/cases");
        await phone.Locator($"[data-testid=case-row][data-reference='{reference}']").ClickAsync();
        await phone.Locator("[data-testid=case-history]").WaitForAsync();
        await AssertNoSidewaysScrollAsync(phone, "the case page");
        await phone.Context.CloseAsync();
    }

    [Fact]
    public async Task Desktop_CaseReferencesReadOnOneLine()
    {
        await ReportAsync();
        var page = await PageAsync(1280, 800);
        await BrowserFixture.SignInAsync(page, "chair@demo.local");
        await page.GotoAsync("/cases");
        var link = page.Locator("[data-testid=case-row]").First;
        await link.WaitForAsync();
        var box = (await link.BoundingBoxAsync())!;
        var lineHeight = await link.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).lineHeight) || 24");

        Assert.True(box.Height < lineHeight * 1.5, $"the reference wraps: {box.Height}px for a {lineHeight}px line");
        await AssertNoSidewaysScrollAsync(page, "/cases");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SecurityAndPasswordPages_KeepTheWayBackToTheMembersWork_AsTheirRoleAllows()
    {
        var handler = await browser.NewPageAsync(javaScript: false);   // these pages are static: they work without script
        await BrowserFixture.SignInAnywhereAsync(handler, "handler@demo.local");
        await handler.GotoAsync("/account/mfa");
        Assert.Equal(0, await handler.Locator("[data-testid=staff-link-insights]").CountAsync());
        await handler.ClickAsync("[data-testid=staff-link-cases]");
        await handler.WaitForURLAsync("**/cases");
        await handler.Context.CloseAsync();

        var hr = await browser.NewPageAsync(javaScript: false);
        await BrowserFixture.SignInAnywhereAsync(hr, "hr@demo.local");
        await hr.GotoAsync("/account/password");
        await hr.Locator("[data-testid=staff-link-insights]").WaitForAsync();
        Assert.Equal(0, await hr.Locator("[data-testid=staff-link-cases]").CountAsync());
        Assert.Equal(0, await hr.Locator("[data-testid=staff-link-admin-users]").CountAsync());
        await hr.Context.CloseAsync();
    }
}
