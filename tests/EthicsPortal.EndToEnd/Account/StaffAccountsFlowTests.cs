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
        await BrowserFixture.SignInAsync(page, email, "a brand new handler passphrase");

        Assert.Contains(email, await page.InnerTextAsync("[data-testid=signed-in-user]"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-testid=nav-admin-users]").CountAsync());
        await page.Context.CloseAsync();
    }
}
