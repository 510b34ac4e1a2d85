using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Accessibility;

/// <summary>A reporter with a keyboard and no mouse raises a concern and follows it up: Tab, typing, Space and Enter only.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardOnlyTests(BrowserFixture browser)
{
    /// <summary>Presses Tab until the element with this data-testid has the focus, as a keyboard user would.</summary>
    private static async Task TabToAsync(IPage page, string testId)
    {
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("id => document.activeElement?.getAttribute('data-testid') === id", testId))
                return;
        }
        Assert.Fail($"Tab never reached {testId}");
    }

    [Fact]
    public async Task KeyboardAlone_SubmitsAConcern_AndFollowsItUp()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/report");

        await TabToAsync(page, "customer");
        await page.Keyboard.TypeAsync("Ministry of Interior");
        await TabToAsync(page, "product");
        await page.Keyboard.PressAsync("ArrowDown");
        await TabToAsync(page, "misuse-type");
        await page.Keyboard.PressAsync("ArrowDown");
        await TabToAsync(page, "description");
        await page.Keyboard.TypeAsync("Their analysts match faces from protest videos against a watch list.");
        await TabToAsync(page, "submit");
        await page.Keyboard.PressAsync("Enter");

        var receipt = (await page.Locator("[data-testid=receipt]").InnerTextAsync()).Trim();
        await TabToAsync(page, "receipt-saved");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "receipt-continue");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("[data-testid=report-done]").WaitForAsync();

        await page.GotoAsync("/followup");
        await TabToAsync(page, "receipt-input");
        await page.Keyboard.TypeAsync(receipt);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("[data-testid=case-status]").WaitForAsync();
        await TabToAsync(page, "reply-input");
        await page.Keyboard.TypeAsync("The list is updated every Monday.");
        await TabToAsync(page, "reply-submit");
        await page.Keyboard.PressAsync("Enter");

        await page.Locator("[data-testid=message]", new() { HasText = "updated every Monday" }).WaitForAsync();
        await page.Context.CloseAsync();
    }
}
