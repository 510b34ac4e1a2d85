using System.Net;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using EthicsPortal.Tests.Shared;
using EthicsPortal.Web.Components.Account;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests.Account;

/// <summary>Staff single sign-on against a real (small, in-process) OpenID Connect provider, with MFA required.</summary>
public sealed class SingleSignOnTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TestIdentityProvider _idp = default!;
    private PortalFactory _portal = default!;

    public async ValueTask InitializeAsync()
    {
        _idp = await TestIdentityProvider.StartAsync();
        _portal = new PortalFactory();
        _portal.Settings["Security:RequireStaffMfa"] = "true";
        _portal.Settings["Authentication:OpenIdConnect:Enabled"] = "true";
        _portal.Settings["Authentication:OpenIdConnect:Authority"] = _idp.Url;
        _portal.Settings["Authentication:OpenIdConnect:ClientId"] = TestIdentityProvider.ClientId;
        _portal.Settings["Authentication:OpenIdConnect:ClientSecret"] = TestIdentityProvider.ClientSecret;
        _portal.Settings["Authentication:OpenIdConnect:RequireHttpsMetadata"] = "false";
        _portal.Settings["Authentication:OpenIdConnect:GroupRoles:ethics-handlers"] = Roles.Handler;
        _portal.Settings["Authentication:OpenIdConnect:GroupRoles:ethics-chair"] = Roles.Chair;
    }

    public async ValueTask DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _idp.DisposeAsync();
    }

    private static Dictionary<string, object> Person(string sub, string email, string[] groups, string[]? amr = null) => new()
    {
        ["sub"] = sub, ["email"] = email, ["name"] = "Sam Sso", ["groups"] = groups, ["amr"] = amr ?? ["pwd", "mfa"],
    };

    /// <summary>The browser's round trip: portal → provider (signs in at once) → portal callback → portal completion.</summary>
    private async Task<(HttpClient Client, string Landing)> SignInAsync(Dictionary<string, object> person)
    {
        _idp.NextUser = person;
        var client = _portal.CreateBrowserlikeClient();
        var token = Forms.TokenFrom(await client.GetStringAsync("/account/login", Ct));
        using var start = await client.PostAsync("/account/sso", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.StartsWith(_idp.Url + "/authorize", start.Headers.Location!.ToString(), StringComparison.Ordinal);

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var authorize = await browser.GetAsync(start.Headers.Location, Ct);
        var callback = authorize.Headers.Location!;
        using var back = await client.GetAsync(callback.PathAndQuery, Ct);
        var next = PortalFactory.PathOf(back);
        if (!next.StartsWith("/account/sso/done", StringComparison.Ordinal))
            return (client, next);
        using var done = await client.GetAsync(next, Ct);
        return (client, PortalFactory.PathOf(done));
    }

    [Fact]
    public async Task HandlerGroup_WithProviderMfa_GetsAnAccountInThatRole_AndReachesTheCases()
    {
        var (client, landing) = await SignInAsync(Person("sub-1", "sam@corp.example", ["ethics-handlers", "everyone"]));
        using var cases = await client.GetAsync("/cases", Ct);

        Assert.Equal("/staff", landing);
        Assert.Equal(HttpStatusCode.OK, cases.StatusCode);
        using var scope = _portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = (await users.FindByLoginAsync(SingleSignOnOptions.Scheme, "sub-1"))!;
        Assert.Equal("sam@corp.example", user.Email);
        Assert.Equal([Roles.Handler], await users.GetRolesAsync(user));
        Assert.False(await users.HasPasswordAsync(user));   // no local password to steal
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var actions = await db.AuditEntries.Where(e => e.Subject == $"user:{user.Id}").Select(e => e.Action + "|" + e.Details).ToListAsync(Ct);
        Assert.Contains("account.sso-created|", actions);
        Assert.Contains("account.signin|single sign-on, second factor at the provider", actions);
        client.Dispose();
    }

    /// <summary>
    /// #16: a single sign-on member has no password here, so their key is made and wrapped under an unlock passphrase
    /// they choose on /account/passphrase; a second visit needs the current one, and a mismatch changes nothing.
    /// </summary>
    [Fact]
    public async Task ASingleSignOnHandler_ChoosesAnUnlockPassphrase_AndTheirKeyIsMadeUnderIt()
    {
        var (client, _) = await SignInAsync(Person("sub-key", "kim@corp.example", ["ethics-handlers"]));
        using var scope = _portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = (await users.FindByLoginAsync(SingleSignOnOptions.Scheme, "sub-key"))!;
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        Assert.False(await db.MemberKeys.AnyAsync(k => k.UserId == user.Id, Ct));   // nothing to wrap a key under yet
        Assert.Contains("data-testid=\"password-sso\"", await client.GetStringAsync("/account/password", Ct), StringComparison.Ordinal);

        using var mismatch = await Forms.PostAsync(client, "/account/passphrase", "unlock-passphrase", new Dictionary<string, string>
        {
            ["Input.New"] = "kim's own unlock passphrase", ["Input.Again"] = "kim's other passphrase",
        });
        Assert.Contains("The two passphrases differ", await mismatch.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.False(await db.MemberKeys.AnyAsync(k => k.UserId == user.Id, Ct));

        using var set = await Forms.PostAsync(client, "/account/passphrase", "unlock-passphrase", new Dictionary<string, string>
        {
            ["Input.New"] = "kim's own unlock passphrase", ["Input.Again"] = "kim's own unlock passphrase",
        });
        var page = await set.Content.ReadAsStringAsync(Ct);
        Assert.Contains("data-testid=\"passphrase-done\"", page, StringComparison.Ordinal);
        var key = await db.MemberKeys.AsNoTracking().SingleAsync(k => k.UserId == user.Id, Ct);
        Assert.True(key.OwnSecret);
        Assert.NotNull(key.PasswordWrap);
        Assert.True(_portal.Services.GetRequiredService<EthicsPortal.Core.Sealing.KeyChain>().IsUnlocked(user.Id));
        Assert.Equal(EthicsPortal.Core.Sealing.UnlockSecret.Passphrase,
            await _portal.Services.GetRequiredService<EthicsPortal.Core.Sealing.MemberKeys>().SecretKindAsync(user.Id, Ct));

        // Now the page asks for the current passphrase; a wrong one changes nothing.
        var again = await client.GetStringAsync("/account/passphrase", Ct);
        Assert.Contains("data-testid=\"passphrase-current\"", again, StringComparison.Ordinal);
        using var wrong = await Forms.PostAsync(client, "/account/passphrase", "unlock-passphrase", new Dictionary<string, string>
        {
            ["Input.Current"] = "not kim's passphrase at all", ["Input.New"] = "kim's second passphrase", ["Input.Again"] = "kim's second passphrase",
        });
        Assert.Contains("Your current unlock passphrase is not right.", System.Net.WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal(key.PasswordWrap, (await db.MemberKeys.AsNoTracking().SingleAsync(k => k.UserId == user.Id, Ct)).PasswordWrap);
    }

    [Fact]
    public async Task WithoutASecondFactorAtTheProvider_StaffPagesWaitForOne()
    {
        var (client, _) = await SignInAsync(Person("sub-2", "kim@corp.example", ["ethics-chair"], amr: ["pwd"]));
        using var cases = await client.GetAsync("/cases", Ct);

        Assert.Equal("/account/mfa", PortalFactory.PathOf(cases));
        client.Dispose();
    }

    [Fact]
    public async Task RolesFollowTheProvidersGroups_AtEverySignIn()
    {
        (await SignInAsync(Person("sub-3", "lee@corp.example", ["ethics-chair"]))).Client.Dispose();
        var (client, _) = await SignInAsync(Person("sub-3", "lee@corp.example", ["ethics-handlers"]));

        (await SignInAsync(Person("sub-3", "lee@corp.example", ["ethics-handlers"]))).Client.Dispose();   // unchanged: no entry

        using var scope = _portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = (await users.FindByLoginAsync(SingleSignOnOptions.Scheme, "sub-3"))!;
        Assert.Equal([Roles.Handler], await users.GetRolesAsync(user));
        // Every grant and every removal is in the audit chain, and only those.
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var changes = await db.AuditEntries.Where(e => e.Subject == $"user:{user.Id}" && e.Action == "account.roles-changed")
            .OrderBy(e => e.Sequence).Select(e => e.Details).ToListAsync(Ct);
        Assert.Equal(["roles=Chair; by single sign-on groups", "roles=Handler; by single sign-on groups"], changes);
        client.Dispose();
    }

    [Fact]
    public async Task NoMappedGroup_IsRefused_AndNoAccountIsMade()
    {
        var (client, landing) = await SignInAsync(Person("sub-4", "pat@corp.example", ["everyone"]));
        var page = await client.GetStringAsync(landing, Ct);

        Assert.StartsWith("/account/login?sso=", landing, StringComparison.Ordinal);
        Assert.Contains("no role in EthicsPortal", page, StringComparison.Ordinal);
        using var scope = _portal.Services.CreateScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync("pat@corp.example"));
        client.Dispose();
    }

    [Fact]
    public async Task TheProviderCannotTakeOverALocalAccount_AndTheBreakGlassAdminStillSignsIn()
    {
        var (client, landing) = await SignInAsync(Person("sub-5", "admin@demo.local", ["ethics-chair"]));
        using var local = _portal.CreateBrowserlikeClient();
        using var password = await Forms.SignInAsync(local, "admin@demo.local", DemoSeeder.DemoPassword);

        Assert.StartsWith("/account/login?sso=", landing, StringComparison.Ordinal);
        Assert.Contains("A local account already uses this address", await client.GetStringAsync(landing, Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);   // the local password still works
        using var scope = _portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        Assert.Empty(await users.GetLoginsAsync((await users.FindByEmailAsync("admin@demo.local"))!));
        client.Dispose();
    }

    [Fact]
    public async Task ATokenSignedByAnotherKey_SignsNobodyIn()
    {
        _idp.SignWithUnknownKey = true;
        var (client, landing) = await SignInAsync(Person("sub-6", "eve@corp.example", ["ethics-chair"]));
        using var staff = await client.GetAsync("/staff", Ct);

        Assert.StartsWith("/account/login?sso=", landing, StringComparison.Ordinal);
        Assert.StartsWith("/account/login", PortalFactory.PathOf(staff), StringComparison.Ordinal);
        client.Dispose();
    }

    [Fact]
    public async Task MadeUpProblemTexts_AreNeverShown()
    {
        using var client = _portal.CreateBrowserlikeClient();

        var page = await client.GetStringAsync("/account/login?sso=Call%20this%20number%20now", Ct);

        Assert.DoesNotContain("Call this number", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sso-signin\"", page, StringComparison.Ordinal);
    }
}

public sealed class SingleSignOnOffTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Unconfigured_ThereIsNoButtonAndNoEndpoint()
    {
        using var client = factory.CreateBrowserlikeClient();
        var page = await client.GetStringAsync("/account/login", TestContext.Current.CancellationToken);
        using var start = await client.PostAsync("/account/sso", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Forms.TokenFrom(page),
        }), TestContext.Current.CancellationToken);

        Assert.DoesNotContain("sso-signin", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
    }
}
