using EthicsPortal.Core.Data;
using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Access;

/// <summary>
/// Sealed cases in Chromium (#16): an Admin's new Chair sees no content until a chair who holds the keys confirms them,
/// and a member whose key left memory unlocks it on the case page with their password.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SealedAccessFlowTests(BrowserFixture browser)
{
    private async Task<(int Id, string UserId)> IdsAsync(string reference, string? email = null)
    {
        await using var scope = browser.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var id = await db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync();
        var user = email is null ? "" : await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        return (id, user);
    }

    [Fact]
    public async Task AChairTheAdminCreates_SeesWaitingForAccess_UntilTheDemoChairConfirmsThemOnAccess()
    {
        var (reference, _) = await browser.ReportAsync("Sealed-e2e: recordings of calls in bucket 4471.");
        var (caseId, _) = await IdsAsync(reference);

        var admin = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(admin, "admin@demo.local");
        await admin.ClickAsync("[data-testid=nav-admin-users]");
        await admin.WaitForSelectorAsync("[data-testid=interactive]", new() { State = WaitForSelectorState.Attached });
        // The Admin reads, plainly, that a role gives no case and that no recovery quorum exists yet.
        Assert.Contains("opens no case", await admin.InnerTextAsync("[data-testid=admin-no-access]"), StringComparison.Ordinal);
        Assert.Equal(1, await admin.Locator("[data-testid=recovery-missing]").CountAsync());
        var email = $"chair.{Guid.NewGuid():N}"[..14] + "@demo.local";
        await admin.FillAsync("[data-testid=new-user-email]", email);
        await admin.FillAsync("[data-testid=new-user-name]", "Newly Made Chair");
        await admin.FillAsync("[data-testid=new-user-password]", "the admin typed this passphrase");
        await admin.CheckAsync("[data-testid=new-user-role-Chair]");
        await admin.ClickAsync("[data-testid=create-user]");
        await admin.GetByTestId("user-email").Filter(new() { HasText = email }).WaitForAsync();
        await admin.Context.CloseAsync();

        var newChair = await browser.NewPageAsync();
        await BrowserFixture.SignInAndChooseOwnPasswordAsync(newChair, email, "the admin typed this passphrase", "only the new chair knows this");

        await newChair.GotoAsync($"/cases/{caseId}");
        await newChair.Locator("[data-testid=case-sealed]").WaitForAsync();
        Assert.Equal(SealedText.Waiting, (await newChair.InnerTextAsync("[data-testid=case-sealed-reason]")).Trim());
        Assert.DoesNotContain("bucket 4471", await newChair.ContentAsync(), StringComparison.Ordinal);

        var chair = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(chair, "chair@demo.local");
        await chair.ClickAsync("[data-testid=nav-access]");
        var row = chair.Locator("[data-testid=access-member][data-member='Newly Made Chair']");
        await row.WaitForAsync();
        Assert.Equal(1, await chair.Locator("[data-testid=recovery-missing]").CountAsync());
        Assert.Equal("Waiting for confirmation", (await row.Locator("[data-testid=access-member-state]").InnerTextAsync()).Trim());
        await row.Locator("[data-testid=access-confirm]").ClickAsync();
        await chair.Locator("[data-testid=access-notice]").WaitForAsync();
        Assert.StartsWith("Newly Made Chair is confirmed;", (await chair.InnerTextAsync("[data-testid=access-notice]")).Trim(), StringComparison.Ordinal);
        await chair.Context.CloseAsync();

        await newChair.GotoAsync($"/cases/{caseId}");
        await newChair.Locator("[data-testid=report-description]").WaitForAsync();
        Assert.Equal("Sealed-e2e: recordings of calls in bucket 4471.", (await newChair.InnerTextAsync("[data-testid=report-description]")).Trim());
        await newChair.Context.CloseAsync();
    }

    [Fact]
    public async Task AKeyThatLeftMemory_IsUnlockedOnTheCasePageWithThePassword_AndTheReportShows()
    {
        var (reference, _) = await browser.ReportAsync("Sealed-e2e: unlock me, storage account 9182.");
        var (caseId, handlerId) = await IdsAsync(reference, "handler@demo.local");
        var page = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "handler@demo.local");
        await page.GotoAsync($"/cases/{caseId}");
        await page.Locator("[data-testid=report-description]").WaitForAsync();

        // What a restart or the idle timeout does: the key leaves this instance's memory; the session stays.
        browser.Portal.Services.GetRequiredService<KeyChain>().Drop(handlerId);
        await page.GotoAsync($"/cases/{caseId}");
        await page.Locator("[data-testid=unlock-password]").WaitForAsync();
        Assert.Equal(SealedText.Locked, (await page.InnerTextAsync("[data-testid=case-sealed-reason]")).Trim());
        await page.Locator("[data-testid=unlock-password]").FillAsync("not the password at all");
        await page.ClickAsync("[data-testid=unlock-key]");
        await page.Locator("[data-testid=case-error]").WaitForAsync();
        await page.Locator("[data-testid=unlock-password]").FillAsync(DemoSeeder.DemoPassword);
        await page.ClickAsync("[data-testid=unlock-key]");
        await page.Locator("[data-testid=report-description]").WaitForAsync();
        Assert.Equal("Sealed-e2e: unlock me, storage account 9182.", (await page.InnerTextAsync("[data-testid=report-description]")).Trim());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AHandlerAsksForTheIdentity_TheChairApprovesOnAccess_TheHandlerReveals_AndTheReporterSeesItWithoutJavaScript()
    {
        var (reference, receipt) = await browser.ReportAsync("Sealed-e2e: identity request, bucket 6620.", confidentialName: "Quinn Requested");
        var (caseId, _) = await IdsAsync(reference);

        var handler = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(handler, "handler@demo.local");
        await handler.GotoAsync($"/cases/{caseId}");
        await handler.Locator("[data-testid=identity-custodians-only]").WaitForAsync();
        await handler.FillAsync("[data-testid=identity-request-reason]", "We need to ask them which team runs bucket 6620");
        await handler.ClickAsync("[data-testid=identity-request]");
        await handler.Locator("[data-testid=identity-request-open]").WaitForAsync();

        var chair = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(chair, "chair@demo.local");
        await chair.ClickAsync("[data-testid=nav-access]");
        var row = chair.Locator($"[data-testid=identity-request-row][data-reference='{reference}']");
        await row.WaitForAsync();
        Assert.Contains("which team runs bucket 6620", await row.InnerTextAsync(), StringComparison.Ordinal);
        await row.Locator("[data-testid=identity-request-approve]").ClickAsync();
        await chair.Locator("[data-testid=access-notice]").WaitForAsync();
        await chair.Context.CloseAsync();

        await handler.GotoAsync($"/cases/{caseId}");
        await handler.FillAsync("[data-testid=reveal-reason]", "Approved by the chair: to ask about the bucket");
        await handler.FillAsync("[data-testid=reveal-password]", DemoSeeder.DemoPassword);
        await handler.ClickAsync("[data-testid=reveal-identity]");
        await handler.Locator("[data-testid=identity]").WaitForAsync();
        Assert.Contains("Quinn Requested", await handler.InnerTextAsync("[data-testid=identity]"), StringComparison.Ordinal);
        await handler.Context.CloseAsync();

        var reporter = await browser.NewPageAsync(javaScript: false);
        await reporter.GotoAsync("/followup");
        await reporter.FillAsync("[data-testid=receipt-input]", receipt);
        await reporter.ClickAsync("[data-testid=receipt-submit]");
        await reporter.Locator("[data-testid=identity-revealed]").WaitForAsync();
        Assert.StartsWith("Shown to a committee member on", (await reporter.InnerTextAsync("[data-testid=identity-revealed]")).Trim(), StringComparison.Ordinal);
        await reporter.Context.CloseAsync();
    }
}
