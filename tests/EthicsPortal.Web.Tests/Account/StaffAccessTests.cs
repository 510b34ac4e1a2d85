using EthicsPortal.Tests.Shared;
using System.Net;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests.Account;

public class StaffAccessTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/admin/users")]
    [InlineData("/staff")]
    [InlineData("/account/password")]
    public async Task StaffPage_SignedOut_RedirectsToSignIn(string path)
    {
        using var client = factory.CreateBrowserlikeClient();

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", PortalFactory.PathOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_DemoAdmin_ReachesAdminUsers()
    {
        using var client = factory.CreateBrowserlikeClient();

        using var signIn = await Forms.SignInAsync(client, "admin@demo.local", DemoSeeder.DemoPassword);
        using var page = await client.GetAsync("/admin/users", Ct);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/staff", PortalFactory.PathOf(signIn));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("_framework/blazor.web.js", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);   // the interactive shell
    }

    [Fact]
    public async Task AdminUsers_AsHR_IsDenied()
    {
        using var client = factory.CreateBrowserlikeClient();
        using var signIn = await Forms.SignInAsync(client, "hr@demo.local", DemoSeeder.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        using var response = await client.GetAsync("/admin/users", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", PortalFactory.PathOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_Employee_LandsOnTheirOwnPageNotTheStaffOverview()
    {
        using var client = factory.CreateBrowserlikeClient();

        using var signIn = await Forms.SignInAsync(client, "employee@demo.local", DemoSeeder.DemoPassword);
        using var staff = await client.GetAsync("/staff", Ct);

        Assert.Equal("/me", PortalFactory.PathOf(signIn));   // their own page: who they are signed in as, and sign-out
        Assert.StartsWith("/account/access-denied", PortalFactory.PathOf(staff), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_ExternalReturnUrl_IsIgnored()
    {
        using var client = factory.CreateBrowserlikeClient();

        using var signIn = await Forms.PostAsync(client, "/account/login?returnUrl=%2F%2Fevil.example%2F", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = "chair@demo.local",
            ["Input.Password"] = DemoSeeder.DemoPassword,
        });

        Assert.Equal("/staff", PortalFactory.PathOf(signIn));
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LockTheAccountAndTheSixthTryIsRefused()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<StaffAccountService>();
        const string email = "lockme@demo.local";
        await accounts.CreateForSetupAsync(new NewStaffAccount(email, "Lock Me", "a long and fine password", [Roles.Handler]), "test", Ct);
        using var client = factory.CreateBrowserlikeClient();

        var bodies = new List<string>();
        for (var i = 1; i <= 6; i++)
        {
            using var attempt = await Forms.SignInAsync(client, email, $"wrong password {i}");
            bodies.Add(await attempt.Content.ReadAsStringAsync(Ct));
        }
        using var right = await Forms.SignInAsync(client, email, "a long and fine password");

        Assert.All(bodies.Take(4), b => Assert.Contains("email or password is not right", b, StringComparison.Ordinal));
        Assert.All(bodies.Skip(4), b => Assert.Contains("locked", b, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);   // no redirect: not signed in
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var user = await db.Users.SingleAsync(u => u.Email == email, Ct);
        Assert.Contains(await db.AuditEntries.Where(e => e.Subject == $"user:{user.Id}").Select(e => e.Action).ToListAsync(Ct),
            a => a == "account.lockout");
        Assert.True((await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync(Ct)).IsIntact);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        using var client = factory.CreateBrowserlikeClient();
        using var signIn = await Forms.SignInAsync(client, "legal@demo.local", DemoSeeder.DemoPassword);
        using (var staff = await client.GetAsync("/staff", Ct))
            Assert.Equal(HttpStatusCode.OK, staff.StatusCode);

        var token = Forms.TokenFrom(await client.GetStringAsync("/account/password", Ct));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["returnUrl"] = "/" });
        using var signOut = await client.PostAsync("/account/logout", form, Ct);
        using var after = await client.GetAsync("/staff", Ct);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.StartsWith("/account/login", PortalFactory.PathOf(after), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_IsRejected()
    {
        using var client = factory.CreateBrowserlikeClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" });

        using var response = await client.PostAsync("/account/logout", form, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
