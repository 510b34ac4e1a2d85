using EthicsPortal.Core.Data;
using EthicsPortal.Core.Sealing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.EndToEnd.Access;

/// <summary>
/// #16 in Chromium for a member who signs in with single sign-on: the provider gives the portal no secret, so the case
/// page sends them to choose an unlock passphrase; once a chair confirmed them, new concerns are sealed to them, and when
/// their key leaves memory the case page asks for that passphrase (not a password they do not have).
/// </summary>
[Collection(SsoBrowserCollection.Name)]
public sealed class SingleSignOnUnlockFlowTests(SsoBrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<int> CaseIdAsync(string reference)
    {
        await using var scope = browser.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        return await db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync();
    }

    [Fact]
    public async Task ASingleSignOnChair_SetsAnUnlockPassphraseFromTheCasePage_AndUnlocksWithIt()
    {
        var before = await CaseIdAsync((await browser.ReportAsync("SSO-e2e: a concern from before the member had a key.")).Reference);
        browser.Provider.NextUser = new Dictionary<string, object>
        {
            ["sub"] = "sub-sso-e2e", ["email"] = "sam.sso@corp.example", ["name"] = "Sam Sso", ["groups"] = new[] { "ethics-chair" }, ["amr"] = new[] { "pwd", "mfa" },
        };
        var page = await browser.NewPageAsync();
        var chain = new List<string>();
        page.Response += (_, r) => chain.Add($"{r.Status} {r.Request.Method} {r.Url}");
        await page.GotoAsync("/account/login");
        await page.ClickAsync("[data-testid=sso-signin]");
        try
        {
            await page.WaitForSelectorAsync("[data-testid=signed-in-user]", new() { Timeout = 20_000 });
        }
        catch (TimeoutException)
        {
            var text = await page.InnerTextAsync("body");
            Assert.Fail($"Single sign-on did not sign in: at {page.Url} ({text[..Math.Min(300, text.Length)]}); portal said: "
                + string.Join("\n", browser.Portal.Logs.Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("xception", StringComparison.Ordinal)).TakeLast(8)) + "\nchain: " + string.Join("\n", chain));
        }

        await page.GotoAsync($"/cases/{before}");
        await page.Locator("[data-testid=passphrase-needed]").WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=unlock-password]").CountAsync());
        await page.ClickAsync("[data-testid=passphrase-link]");
        await page.FillAsync("[data-testid=passphrase-new]", "sam chose this unlock phrase");
        await page.FillAsync("[data-testid=passphrase-again]", "sam chose this unlock phrase");
        await page.ClickAsync("[data-testid=passphrase-submit]");
        await page.Locator("[data-testid=passphrase-done]").WaitForAsync();

        string samId, chairId;
        await using (var scope = browser.Portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
            samId = await db.Users.Where(u => u.Email == "sam.sso@corp.example").Select(u => u.Id).SingleAsync(Ct);
            chairId = await db.Users.Where(u => u.Email == "chair@demo.local").Select(u => u.Id).SingleAsync(Ct);
            Assert.True((await db.MemberKeys.SingleAsync(k => k.UserId == samId, Ct)).OwnSecret);
        }
        // The demo chair confirms Sam (the Access page itself is driven in SealedAccessFlowTests); concerns from now on are
        // sealed to Sam at intake. (Granting the older case too needs the demo chair's key unlocked, which it is not here.)
        await using (var scope = browser.Portal.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<KeyAccessService>().ConfirmAsync(chairId, samId, Ct);
            var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
            Assert.NotNull((await db.MemberKeys.SingleAsync(k => k.UserId == samId, Ct)).ConfirmedAt);
        }
        const string Description = "SSO-e2e: the customer matches faces against the archive.";
        var after = await CaseIdAsync((await browser.ReportAsync(Description, confidentialName: "Robin Sso")).Reference);

        await page.GotoAsync($"/cases/{after}");
        await page.Locator("[data-testid=report-description]").WaitForAsync();   // unlocked by choosing the passphrase

        browser.Portal.Services.GetRequiredService<KeyChain>().Drop(samId);   // a restart or the idle timeout
        await page.ReloadAsync();
        await page.Locator("[data-testid=case-sealed]").WaitForAsync();
        Assert.Equal(SealedText.Locked, (await page.InnerTextAsync("[data-testid=case-sealed-reason]")).Trim());
        Assert.Contains("Your unlock passphrase", await page.InnerTextAsync("[data-testid=case-sealed]"), StringComparison.Ordinal);
        await page.FillAsync("[data-testid=unlock-password]", "sam chose this unlock phrase");
        await page.ClickAsync("[data-testid=unlock-key]");
        await page.Locator("[data-testid=report-description]").WaitForAsync();
        Assert.Equal(Description, (await page.InnerTextAsync("[data-testid=report-description]")).Trim());

        // Revealing the confidential identity asks Sam to confirm it is them: with the unlock passphrase, not a password.
        await page.FillAsync("[data-testid=reveal-reason]", "Need to ask the reporter which archive");
        await page.FillAsync("[data-testid=reveal-password]", "not sam's passphrase at all");
        await page.ClickAsync("[data-testid=reveal-identity]");
        await page.GetByText("Your unlock passphrase was not right, so the identity stays hidden.").WaitForAsync();
        await page.FillAsync("[data-testid=reveal-password]", "sam chose this unlock phrase");
        await page.ClickAsync("[data-testid=reveal-identity]");
        await page.Locator("[data-testid=identity]").WaitForAsync();
        Assert.Contains("Robin Sso", await page.InnerTextAsync("[data-testid=identity]"), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
