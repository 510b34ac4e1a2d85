using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using EthicsPortal.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task Inbox_JavaScriptOff_ConfirmsOnlyAfterAnAction_AReloadAddsNothing_TheConversationReadsInOrder()
    {
        var page = await browser.NewPageAsync(javaScript: false);
        await page.GotoAsync("/report");
        await page.SelectOptionAsync("[data-testid=product]", "ai-services");
        await page.SelectOptionAsync("[data-testid=misuse-type]", "human-rights-harm");
        await page.FillAsync("[data-testid=description]", "Face matching used to find protesters.");
        await page.ClickAsync("[data-testid=submit]");
        var receipt = (await page.Locator("[data-testid=receipt]").InnerTextAsync()).Trim();
        var reference = await page.Locator("[data-testid=receipt-panel]").GetAttributeAsync("data-reference");

        await page.GotoAsync("/followup");
        await page.FillAsync("[data-testid=receipt-input]", receipt);
        await page.ClickAsync("[data-testid=receipt-submit]");
        await page.Locator("[data-testid=inbox]").WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=notice]").CountAsync());
        Assert.DoesNotContain("_notice", await page.ContentAsync(), StringComparison.Ordinal);
        var visit = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "ep.followup");
        Assert.Equal(-1, visit.Expires);   // a session cookie: closing the browser ends the visit

        // Add files, then reload the page twice: the file is stored once and the confirmation shows once.
        await page.SetInputFilesAsync("[data-testid=evidence-input]", Path.Combine(AppContext.BaseDirectory, "Fixtures", "evidence-photo.jpg"));
        await page.ClickAsync("[data-testid=evidence-submit]");
        Assert.Equal("Your files were added to the concern.", (await page.InnerTextAsync("[data-testid=notice]")).Trim());
        await page.ReloadAsync();
        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator("[data-testid=notice]").CountAsync());
        Assert.Contains("Files attached so far: 1.", await page.InnerTextAsync("[data-testid=evidence-hint]"), StringComparison.Ordinal);

        // The committee asks; the reporter answers a moment later. Their time is kept to the hour, yet the answer reads below the question.
        int caseId;
        await using (var scope = browser.Portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
            caseId = await db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync(TestContext.Current.CancellationToken);
            var handler = await db.Users.Where(u => u.Email == "handler@demo.local").Select(u => u.Id).SingleAsync(TestContext.Current.CancellationToken);
            Assert.True((await scope.ServiceProvider.GetRequiredService<CaseService>().SendMessageToReporterAsync(caseId, handler, "Which city?", TestContext.Current.CancellationToken)).Succeeded);
        }
        await page.GotoAsync("/followup");
        await page.FillAsync("[data-testid=reply-input]", "The capital.");
        await page.ClickAsync("[data-testid=reply-submit]");
        Assert.Equal("Your message was sent to the ethics committee.", (await page.InnerTextAsync("[data-testid=notice]")).Trim());
        var authors = new List<string?>();
        foreach (var message in await page.Locator("[data-testid=message]").AllAsync())
            authors.Add(await message.GetAttributeAsync("data-author"));
        Assert.Equal(["Committee", "Reporter"], authors);
        await page.ReloadAsync();
        Assert.Equal(2, await page.Locator("[data-testid=message]").CountAsync());

        var staff = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(staff, "handler@demo.local");
        await staff.GotoAsync($"/cases/{caseId}");
        await staff.Locator("[data-testid=case-message]", new() { HasText = "The capital." }).WaitForAsync();
        var shown = await staff.Locator("[data-testid=case-message]").AllInnerTextsAsync();
        Assert.Contains("Which city?", shown[0], StringComparison.Ordinal);
        Assert.Contains("The capital.", shown[1], StringComparison.Ordinal);
        Assert.Matches(@"between \d\d:00 and \d\d:00 UTC", shown[1]);   // an hour, not a minute it did not happen at

        await staff.Context.CloseAsync();
        await page.Context.CloseAsync();
    }
}
