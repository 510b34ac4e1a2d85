using System.Net;
using System.Text.Json;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using EthicsPortal.Tests.Shared;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests.Account;

/// <summary>
/// Passkey endpoints over HTTP with MFA required as in production. The WebAuthn ceremony itself (a real authenticator
/// signing the challenge) runs in Chromium with a virtual authenticator in the EndToEnd suite.
/// </summary>
public sealed class PasskeyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PortalFactory MfaPortal()
    {
        var factory = new PortalFactory();
        factory.Settings["Security:RequireStaffMfa"] = "true";
        return factory;
    }

    private static async Task<HttpResponseMessage> PostTokenAsync(HttpClient client, string pageUrl, string url, IDictionary<string, string>? fields = null)
    {
        var token = Forms.TokenFrom(await client.GetStringAsync(pageUrl, Ct));
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>(fields ?? new Dictionary<string, string>()) { ["__RequestVerificationToken"] = token });
        return await client.PostAsync(url, content, Ct);
    }

    [Fact]
    public async Task SignInPage_OffersPasskeys_OnlyThroughItsScript_AndTheScriptIsServed()
    {
        await using var factory = MfaPortal();
        using var client = factory.CreateBrowserlikeClient();

        var page = await client.GetStringAsync("/account/login", Ct);
        using var script = await client.GetAsync("/js/passkey.js", Ct);

        Assert.Contains("data-passkey-section hidden", page, StringComparison.Ordinal);   // hidden until the script finds WebAuthn
        Assert.Contains("<script src=\"js/passkey.js\"></script>", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("navigator.credentials.get", await script.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestOptions_NeedTheAntiforgeryToken_AndCarryAFreshChallengeForThisSite()
    {
        await using var factory = MfaPortal();
        using var client = factory.CreateBrowserlikeClient();

        using var forged = await client.PostAsync("/account/passkey/request-options", new FormUrlEncodedContent([]), Ct);
        using var first = await PostTokenAsync(client, "/account/login", "/account/passkey/request-options");
        using var second = await PostTokenAsync(client, "/account/login", "/account/passkey/request-options");

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var one = JsonDocument.Parse(await first.Content.ReadAsStringAsync(Ct));
        using var two = JsonDocument.Parse(await second.Content.ReadAsStringAsync(Ct));
        Assert.Equal("localhost", one.RootElement.GetProperty("rpId").GetString());
        Assert.Equal("required", one.RootElement.GetProperty("userVerification").GetString());
        Assert.NotEqual(one.RootElement.GetProperty("challenge").GetString(), two.RootElement.GetProperty("challenge").GetString());
    }

    [Fact]
    public async Task ForgedPasskeySignIn_IsRefused_Audited_AndSignsNobodyIn()
    {
        await using var factory = MfaPortal();
        using var client = factory.CreateBrowserlikeClient();
        using (await PostTokenAsync(client, "/account/login", "/account/passkey/request-options")) { }

        const string forged = """{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AAAA","signature":"AAAA"}}""";
        using var attempt = await PostTokenAsync(client, "/account/login", "/account/passkey/signin", new Dictionary<string, string> { ["credential"] = forged });
        using var staff = await client.GetAsync("/staff", Ct);
        var page = await client.GetStringAsync("/account/login?passkey=failed", Ct);

        Assert.Equal("/account/login?passkey=failed", attempt.Headers.Location?.OriginalString);
        Assert.StartsWith("/account/login", PortalFactory.PathOf(staff), StringComparison.Ordinal);
        Assert.Contains("That passkey did not sign you in", page, StringComparison.Ordinal);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        Assert.Contains(await db.AuditEntries.Select(e => e.Action + "|" + e.Details).ToListAsync(Ct), a => a == "account.signin-failed|passkey not verified");
    }

    [Fact]
    public async Task PasskeySignIn_WithoutAChallengeFromThisBrowser_IsRefused()
    {
        await using var factory = MfaPortal();
        using var client = factory.CreateBrowserlikeClient();

        using var attempt = await PostTokenAsync(client, "/account/login", "/account/passkey/signin", new Dictionary<string, string> { ["credential"] = "{}" });

        Assert.Equal("/account/login?passkey=failed", attempt.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task FirstPasskey_MayBeAddedAfterPasswordAlone_ButNotOnceTheAccountHasASecondFactor()
    {
        await using var factory = MfaPortal();
        using var client = factory.CreateBrowserlikeClient();
        using (await Forms.SignInAsync(client, "handler@demo.local", DemoSeeder.DemoPassword)) { }

        using var first = await PostTokenAsync(client, "/account/mfa", "/account/passkey/creation-options");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var options = JsonDocument.Parse(await first.Content.ReadAsStringAsync(Ct));
        Assert.Equal("handler@demo.local", options.RootElement.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("localhost", options.RootElement.GetProperty("rp").GetProperty("id").GetString());

        // Someone who knows only the password must not be able to add their own passkey to an account that has one.
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByEmailAsync("handler@demo.local"))!;
            var stored = await users.AddOrUpdatePasskeyAsync(user, new UserPasskeyInfo(
                [1, 2, 3, 4], [5, 6, 7], DateTimeOffset.UtcNow, 0, ["internal"], true, false, false, [8], [9]) { Name = "Existing laptop" });
            Assert.True(stored.Succeeded);
        }
        using var again = await PostTokenAsync(client, "/account/mfa", "/account/passkey/creation-options");
        var page = await client.GetStringAsync("/account/mfa", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Contains("Existing laptop", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"passkey-remove\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"passkey-add\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemovingAPasskey_NeedsAnMfaSession()
    {
        await using var factory = MfaPortal();
        using var client = factory.CreateBrowserlikeClient();
        using (await Forms.SignInAsync(client, "chair@demo.local", DemoSeeder.DemoPassword)) { }
        string id;
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByEmailAsync("chair@demo.local"))!;
            await users.AddOrUpdatePasskeyAsync(user, new UserPasskeyInfo([7, 7, 7], [1], DateTimeOffset.UtcNow, 0, null, true, false, false, [1], [1]));
            id = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode([7, 7, 7]);
        }

        using var refused = await PostTokenAsync(client, "/account/mfa", "/account/passkey/remove", new Dictionary<string, string> { ["id"] = id });

        Assert.Equal("/account/mfa?passkey=NotRemoved", refused.Headers.Location?.OriginalString);
        using var check = factory.Services.CreateScope();
        var manager = check.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        Assert.Single(await manager.GetPasskeysAsync((await manager.FindByEmailAsync("chair@demo.local"))!));
    }

    [Fact]
    public async Task PasskeyManagement_IsForSignedInStaffOnly()
    {
        await using var factory = MfaPortal();
        using var client = factory.CreateBrowserlikeClient();

        using var options = await PostTokenAsync(client, "/account/login", "/account/passkey/creation-options");
        using var add = await PostTokenAsync(client, "/account/login", "/account/passkey/add", new Dictionary<string, string> { ["credential"] = "{}" });

        Assert.StartsWith("/account/login", PortalFactory.PathOf(options), StringComparison.Ordinal);
        Assert.StartsWith("/account/login", PortalFactory.PathOf(add), StringComparison.Ordinal);
    }
}

public sealed class PasskeyOriginTests
{
    private static async Task<bool> Check(string origin, bool crossOrigin = false, string? topOrigin = null, params string[] configured)
    {
        var services = new ServiceCollection();
        services.Configure<StaffSessionOptions>(o => o.PasskeyOrigins = configured);
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        http.Request.Scheme = "https";
        http.Request.Host = new Microsoft.AspNetCore.Http.HostString("ethics.example.com");
        return await Components.Account.StaffPasskeyService.IsOwnOrigin(new PasskeyOriginValidationContext
        {
            HttpContext = http, Origin = origin, CrossOrigin = crossOrigin, TopOrigin = topOrigin,
        });
    }

    [Fact]
    public async Task OnlyThePortalsOwnOrigin_OutsideFrames_IsAccepted()
    {
        Assert.True(await Check("https://ethics.example.com"));
        Assert.False(await Check("http://ethics.example.com"));                     // downgraded scheme
        Assert.False(await Check("https://ethics.example.com.evil.test"));          // look-alike host
        Assert.False(await Check("null"));
        Assert.False(await Check("https://ethics.example.com", crossOrigin: true)); // made inside someone else's frame
        Assert.False(await Check("https://ethics.example.com", topOrigin: "https://evil.test"));
    }

    [Fact]
    public async Task ConfiguredOrigins_ReplaceTheRequestsOwn()
    {
        Assert.True(await Check("https://portal.example.com", false, null, "https://portal.example.com/"));
        Assert.False(await Check("https://ethics.example.com", false, null, "https://portal.example.com"));
    }
}
