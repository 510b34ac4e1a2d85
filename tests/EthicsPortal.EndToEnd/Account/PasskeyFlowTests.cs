using EthicsPortal.Core.Data;
using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Account;

/// <summary>
/// A real WebAuthn ceremony: Chromium's virtual authenticator (DevTools protocol) stands in for a phone or security
/// key, so the portal verifies genuine attestation and assertion signatures.
/// </summary>
[Collection(MfaBrowserCollection.Name)]
public sealed class PasskeyFlowTests(MfaBrowserFixture browser)
{
    /// <summary>A platform authenticator; with <paramref name="prf"/> it offers the PRF extension (CTAP2 hmac-secret), as Chromium 156's can.</summary>
    private static async Task<string> AddVirtualAuthenticatorAsync(IPage page, bool prf = false)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        var added = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true,
                ["hasUserVerification"] = true, ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
                ["hasPrf"] = prf,
            },
        });
        return added!.Value.GetProperty("authenticatorId").GetString()!;
    }

    /// <summary>
    /// Waits until the browser is at <paramref name="url"/> and shows <paramref name="selector"/>. Not the "load" event: under
    /// a full parallel test run it was once never reported although the page stood complete. If the page never comes,
    /// says where the browser is and what the portal logged as errors.
    /// </summary>
    private async Task WaitForAsync(IPage page, string url, string selector)
    {
        try
        {
            await page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit });
            await page.WaitForSelectorAsync(selector);
        }
        catch (TimeoutException)
        {
            var errors = string.Join("\n", browser.Portal.Logs.Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase)
                || l.Contains("exception", StringComparison.OrdinalIgnoreCase) || l.Contains("locked", StringComparison.OrdinalIgnoreCase)).TakeLast(15));
            var text = await page.InnerTextAsync("body");
            Assert.Fail($"Still at {page.Url} ({text[..Math.Min(300, text.Length)]}). Portal errors:\n{errors}");
        }
    }

    /// <summary>
    /// A fresh browser with a virtual authenticator signs in with the password only (staff pages wait behind the
    /// second-factor step) and adds a passkey on /account/mfa, which makes the session multi-factor.
    /// </summary>
    private async Task<IPage> SignInAndAddAPasskeyAsync(string email, string name, bool prf = false)
    {
        var page = await browser.NewPageAsync();
        await AddVirtualAuthenticatorAsync(page, prf);
        await page.GotoAsync("/account/login");
        await page.FillAsync("[data-testid=login-email]", email);
        await page.FillAsync("[data-testid=login-password]", DemoSeeder.DemoPassword);
        await page.ClickAsync("[data-testid=login-submit]");
        await WaitForAsync(page, "**/account/mfa", "[data-testid=passkey-add]");   // shown once passkey.js found WebAuthn
        await page.FillAsync("[data-testid=passkey-name]", name);
        await page.ClickAsync("[data-testid=passkey-add]");
        await WaitForAsync(page, "**/account/mfa?passkey=Added", "[data-testid=passkey-message]");
        return page;
    }

    [Fact]
    public async Task Handler_AddsAPasskey_ThenSignsInWithItAlone_AndThatCountsAsASecondFactor()
    {
        var page = await SignInAndAddAPasskeyAsync("handler@demo.local", "Test laptop");
        Assert.Contains("Test laptop", await page.InnerTextAsync("[data-testid=passkey-list]"), StringComparison.Ordinal);

        // A fresh visit: no password, no code, just the passkey.
        await page.Context.ClearCookiesAsync();
        await page.GotoAsync("/account/login");
        await page.ClickAsync("[data-testid=passkey-signin]");
        await page.WaitForSelectorAsync("[data-testid=signed-in-user]");
        await page.GotoAsync("/cases");
        await page.WaitForSelectorAsync("[data-testid=interactive]", new() { State = WaitForSelectorState.Attached });

        Assert.EndsWith("/cases", page.Url, StringComparison.Ordinal);   // the MFA gate let the passkey session through
        using var scope = browser.Portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var handler = await db.Users.SingleAsync(u => u.Email == "handler@demo.local", TestContext.Current.CancellationToken);
        var actions = await db.AuditEntries.Where(e => e.Subject == $"user:{handler.Id}").Select(e => e.Action + "|" + e.Details).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains("account.passkey-added|", actions);
        Assert.Contains("account.signin|with passkey", actions);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Chair_WithAPasskey_ConfirmsARevealWithIt_AndSeesTheIdentity_WithoutTypingAPassword()
    {
        var (reference, _) = await browser.ReportAsync($"Passkey reveal {Guid.NewGuid():N}"[..30], confidentialName: "Robin Sealed");
        var page = await SignInAndAddAPasskeyAsync("chair@demo.local", "Chair laptop");

        await page.GotoAsync("/cases");
        await page.Locator($"[data-testid=case-row][data-reference='{reference}']").ClickAsync();
        await page.FillAsync("[data-testid=reveal-reason]", "Need to ask the reporter about the bucket");
        await page.ClickAsync("[data-testid=reveal-with-passkey]");

        var identity = page.Locator("[data-testid=identity]");
        await identity.WaitForAsync();
        Assert.Contains("Robin Sealed", await identity.InnerTextAsync(), StringComparison.Ordinal);
        using var scope = browser.Portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var chair = await db.Users.SingleAsync(u => u.Email == "chair@demo.local", TestContext.Current.CancellationToken);
        var actions = await db.AuditEntries.Where(e => e.Subject == $"user:{chair.Id}").Select(e => e.Action + "|" + e.Details).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains("account.reauthenticated|with passkey", actions);
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "case.identity-revealed" && e.Subject == $"case:{reference}", TestContext.Current.CancellationToken));
        await page.Context.CloseAsync();
    }

    private async Task<int> CaseIdAsync(string reference)
    {
        await using var scope = browser.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        return await db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// A chair of their own per test (the demo members may already hold a passkey from another test, and adding a second
    /// one needs a multi-factor session): made with a password they chose, signed in and given a passkey in the browser,
    /// then confirmed by the demo chair, so concerns sent from now on are sealed to them.
    /// </summary>
    private async Task<(IPage Page, string UserId)> NewChairWithAPasskeyAsync(string passkeyName, bool prf)
    {
        var email = $"pk.{Guid.NewGuid():N}"[..12] + "@demo.local";
        string userId;
        await using (var scope = browser.Portal.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<StaffAccountService>();
            var made = await accounts.CreateForSetupAsync(new NewStaffAccount(email, "Passkey Chair", DemoSeeder.DemoPassword, [Roles.Chair], OwnerChosePassword: true),
                "test", TestContext.Current.CancellationToken);
            Assert.True(made.Succeeded, made.Error?.Message);
            userId = made.Value!;
        }
        var page = await SignInAndAddAPasskeyAsync(email, passkeyName, prf);
        await using (var scope = browser.Portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
            var demoChair = await db.Users.Where(u => u.Email == "chair@demo.local").Select(u => u.Id).SingleAsync(TestContext.Current.CancellationToken);
            var confirmed = await scope.ServiceProvider.GetRequiredService<KeyAccessService>().ConfirmAsync(demoChair, userId, TestContext.Current.CancellationToken);
            Assert.True(confirmed.Succeeded || confirmed.Error!.Kind == EthicsPortal.Core.Common.ErrorKind.Forbidden, confirmed.Error?.Message);
            Assert.NotNull((await db.MemberKeys.SingleAsync(k => k.UserId == userId, TestContext.Current.CancellationToken)).ConfirmedAt);
        }
        return (page, userId);
    }

    private async Task<List<string>> ActionsAsync(string userId)
    {
        await using var scope = browser.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        return await db.AuditEntries.Where(e => e.Subject == $"user:{userId}").Select(e => e.Action + "|" + e.Details).ToListAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// #16's passkey show: with an authenticator that has the PRF extension, a passkey added in a password session wraps
    /// the member's key; after signing out (the key leaves memory), the passkey alone signs in and opens a sealed case.
    /// When the key later leaves memory again (idle timeout, restart), "Unlock with your passkey" on the case opens it.
    /// </summary>
    [Fact]
    public async Task Chair_WithAPrfPasskey_SignsInWithThePasskeyAlone_AndReadsASealedCase()
    {
        var name = $"PRF key {Guid.NewGuid():N}"[..16];
        var (page, chairId) = await NewChairWithAPasskeyAsync(name, prf: true);
        var description = $"PRF-e2e {Guid.NewGuid():N}"[..20] + ": location data exported nightly.";
        var caseId = await CaseIdAsync((await browser.ReportAsync(description)).Reference);
        await page.ReloadAsync();
        var item = page.Locator("[data-testid=passkey-item]").Filter(new() { HasText = name });
        Assert.Equal(1, await item.Locator("[data-testid=passkey-unlocks]").CountAsync());

        await page.ClickAsync("[data-testid=plain-sign-out]");
        await page.WaitForURLAsync(url => !url.Contains("/account/mfa", StringComparison.Ordinal));
        var keys = browser.Portal.Services.GetRequiredService<KeyChain>();
        Assert.False(keys.IsUnlocked(chairId));

        await page.GotoAsync("/account/login");
        await page.ClickAsync("[data-testid=passkey-signin]");
        await page.WaitForSelectorAsync("[data-testid=signed-in-user]");
        Assert.True(keys.IsUnlocked(chairId));   // no password was typed in this visit
        await page.GotoAsync($"/cases/{caseId}");
        await page.Locator("[data-testid=report-description]").WaitForAsync();
        Assert.Equal(description, (await page.InnerTextAsync("[data-testid=report-description]")).Trim());

        keys.Drop(chairId);   // what the idle timeout or a restart does
        await page.ReloadAsync();
        await page.Locator("[data-testid=case-sealed]").WaitForAsync();
        Assert.Equal(SealedText.Locked, (await page.InnerTextAsync("[data-testid=case-sealed-reason]")).Trim());
        await page.ClickAsync("[data-testid=unlock-with-passkey]");
        await page.Locator("[data-testid=report-description]").WaitForAsync();
        Assert.Equal(description, (await page.InnerTextAsync("[data-testid=report-description]")).Trim());

        var actions = await ActionsAsync(chairId);
        Assert.Contains("keys.passkey-wrapped|", actions);
        Assert.Equal(2, actions.Count(a => a == "keys.unlocked|passkey"));
        await page.Context.CloseAsync();
    }

    /// <summary>An authenticator without PRF signs in but cannot unlock: the case says so, and the password unlocks it.</summary>
    [Fact]
    public async Task Chair_WithAPasskeyWithoutPrf_SeesTheCaseLocked_AndUnlocksItWithThePassword()
    {
        var name = $"Plain key {Guid.NewGuid():N}"[..16];
        var (page, chairId) = await NewChairWithAPasskeyAsync(name, prf: false);
        var description = $"NoPRF-e2e {Guid.NewGuid():N}"[..20] + ": face matching on the archive.";
        var caseId = await CaseIdAsync((await browser.ReportAsync(description)).Reference);
        await page.ReloadAsync();
        var item = page.Locator("[data-testid=passkey-item]").Filter(new() { HasText = name });
        Assert.Equal(1, await item.Locator("[data-testid=passkey-signs-in-only]").CountAsync());

        await page.ClickAsync("[data-testid=plain-sign-out]");
        await page.WaitForURLAsync(url => !url.Contains("/account/mfa", StringComparison.Ordinal));
        await page.GotoAsync("/account/login");
        await page.ClickAsync("[data-testid=passkey-signin]");
        await page.WaitForSelectorAsync("[data-testid=signed-in-user]");
        await page.GotoAsync($"/cases/{caseId}");
        await page.Locator("[data-testid=case-sealed]").WaitForAsync();
        Assert.Equal(SealedText.Locked, (await page.InnerTextAsync("[data-testid=case-sealed-reason]")).Trim());
        Assert.DoesNotContain(description, await page.ContentAsync(), StringComparison.Ordinal);

        await page.ClickAsync("[data-testid=unlock-with-passkey]");
        await page.GetByText("That passkey could not unlock your key").WaitForAsync();
        await page.FillAsync("[data-testid=unlock-password]", DemoSeeder.DemoPassword);
        await page.ClickAsync("[data-testid=unlock-key]");
        await page.Locator("[data-testid=report-description]").WaitForAsync();
        Assert.Equal(description, (await page.InnerTextAsync("[data-testid=report-description]")).Trim());
        Assert.True(browser.Portal.Services.GetRequiredService<KeyChain>().IsUnlocked(chairId));
        await page.Context.CloseAsync();
    }
}
