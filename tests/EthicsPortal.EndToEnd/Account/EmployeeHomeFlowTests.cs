using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Account;

/// <summary>A signed-in employee (a reporter with an account) can tell they are signed in, and sign out, from the reporter pages.</summary>
[Collection(BrowserCollection.Name)]
public sealed class EmployeeHomeFlowTests(BrowserFixture browser)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Employee_SignsIn_LandsOnTheirPage_SeesItOnTheReportForm_AndSignsOut(bool javaScript)
    {
        var page = await browser.NewPageAsync(javaScript);
        await BrowserFixture.SignInAnywhereAsync(page, "employee@demo.local");
        await page.Locator("[data-testid=my-page]").WaitForAsync();
        Assert.EndsWith("/me", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("employee@demo.local", await page.InnerTextAsync("[data-testid=my-name]"), StringComparison.Ordinal);

        await page.GotoAsync("/report");
        Assert.Contains("employee@demo.local", await page.InnerTextAsync("[data-testid=signed-in-as]"), StringComparison.Ordinal);
        Assert.Contains("not linked to your account", await page.InnerTextAsync("[data-testid=signed-in-anonymous]"), StringComparison.Ordinal);

        // A staff page is not theirs; its way back leads to their page, not to the page that refused them.
        await page.GotoAsync("/staff");
        await page.Locator("[data-testid=access-denied]").WaitForAsync();
        await page.ClickAsync("[data-testid=denied-back]");
        await page.Locator("[data-testid=my-page]").WaitForAsync();

        await page.ClickAsync("[data-testid=plain-sign-out]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        Assert.Equal(0, await page.Locator("[data-testid=signed-in-as]").CountAsync());
        await page.GotoAsync("/report");
        Assert.Equal(0, await page.Locator("[data-testid=signed-in-as]").CountAsync());
        await page.Context.CloseAsync();
    }
}
