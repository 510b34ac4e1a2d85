using EthicsPortal.Tests.Shared;
using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.FollowUp;

[Collection(BrowserCollection.Name)]
public sealed class FollowUpWithoutJavaScriptTests(BrowserFixture browser)
{
    [Fact]
    public async Task FollowUp_JavaScriptOff_OpenWithReceiptAndReply()
    {
        var page = await browser.NewPageAsync(javaScript: false);
        await page.GotoAsync("/report");
        await page.SelectOptionAsync("[data-testid=product]", "cloud-storage");
        await page.SelectOptionAsync("[data-testid=misuse-type]", "privacy-breach");
        await page.FillAsync("[data-testid=description]", "Customer data copied to an unapproved region.");
        await page.ClickAsync("[data-testid=submit]");
        var receipt = (await page.Locator("[data-testid=receipt]").InnerTextAsync()).Trim();

        await page.GotoAsync("/followup");
        await page.FillAsync("[data-testid=receipt-input]", receipt);
        await page.ClickAsync("[data-testid=receipt-submit]");
        Assert.Equal("Received", (await page.Locator("[data-testid=case-status]").InnerTextAsync()).Trim());

        await page.FillAsync("[data-testid=reply-input]", "The copies are made every night at 02:00.");
        await page.ClickAsync("[data-testid=reply-submit]");
        await page.Locator("[data-testid=message]", new() { HasText = "every night at 02:00" }).WaitForAsync();

        await page.ClickAsync("[data-testid=leave]");
        await page.Locator("[data-testid=left]").WaitForAsync();
        await page.GotoAsync("/followup");
        Assert.Equal(1, await page.Locator("[data-testid=receipt-input]").CountAsync());
        await page.Context.CloseAsync();
    }
}
