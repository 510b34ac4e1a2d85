using EthicsPortal.Core.Data;
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
    private static async Task<string> AddVirtualAuthenticatorAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        var added = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true,
                ["hasUserVerification"] = true, ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
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
    private async Task<IPage> SignInAndAddAPasskeyAsync(string email, string name)
    {
        var page = await browser.NewPageAsync();
        await AddVirtualAuthenticatorAsync(page);
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
}
