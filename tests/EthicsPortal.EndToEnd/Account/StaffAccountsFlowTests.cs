using EthicsPortal.Core.Security;
using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Account;

[Collection(BrowserCollection.Name)]
public sealed class StaffAccountsFlowTests(BrowserFixture browser)
{
    [Fact]
    public async Task DemoAdmin_CreatesAHandler_WhoThenSignsIn()
    {
        var page = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "admin@demo.local", DemoSeeder.DemoPassword);
        Assert.Contains("admin@demo.local", await page.InnerTextAsync("[data-testid=signed-in-user]"), StringComparison.Ordinal);

        await page.ClickAsync("[data-testid=nav-admin-users]");
        await page.WaitForSelectorAsync("[data-testid=interactive]", new() { State = WaitForSelectorState.Attached });
        var email = $"handler.{Guid.NewGuid():N}"[..16] + "@demo.local";
        await page.FillAsync("[data-testid=new-user-email]", email);
        await page.FillAsync("[data-testid=new-user-name]", "New Handler");
        await page.FillAsync("[data-testid=new-user-password]", "a brand new handler passphrase");
        await page.CheckAsync("[data-testid=new-user-role-Handler]");
        await page.ClickAsync("[data-testid=create-user]");
        await page.GetByTestId("user-email").Filter(new() { HasText = email }).WaitForAsync();

        await page.ClickAsync("[data-testid=sign-out]");
        await page.Locator("[data-testid=raise-concern]").WaitForAsync();   // back on the landing page, signed out
        // The new handler must choose their own password before anything else: the Admin typed this one.
        await page.GotoAsync("/account/login");
        await page.FillAsync("[data-testid=login-email]", email);
        await page.FillAsync("[data-testid=login-password]", "a brand new handler passphrase");
        await page.ClickAsync("[data-testid=login-submit]");
        await page.Locator("[data-testid=password-must-change]").WaitForAsync();
        await page.GotoAsync("/cases");
        await page.Locator("[data-testid=password-must-change]").WaitForAsync();
        Assert.EndsWith("/account/password", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await page.FillAsync("[data-testid=password-current]", "a brand new handler passphrase");
        await page.FillAsync("[data-testid=password-new]", "only the handler knows this one");
        await page.ClickAsync("[data-testid=password-submit]");
        await page.Locator("[data-testid=password-changed]").WaitForAsync();
        await page.GotoAsync("/staff");
        await page.WaitForSelectorAsync("[data-testid=signed-in-user]");

        Assert.Contains(email, await page.InnerTextAsync("[data-testid=signed-in-user]"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-testid=nav-admin-users]").CountAsync());
        await page.Context.CloseAsync();
    }
}
