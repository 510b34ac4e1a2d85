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
    public async Task SignIn_AnOutsidersWrongPasswords_SlowOnlyThemselves_AndTheMemberStillSignsIn()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        const string email = "target@demo.local";
        await scope.ServiceProvider.GetRequiredService<StaffAccountService>()
            .CreateForSetupAsync(new NewStaffAccount(email, "Target", "a long and fine password", [Roles.Handler]), "test", Ct);
        using var outsider = factory.CreateBrowserlikeClient("198.51.100.66");

        var bodies = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 1; i <= 8; i++)
        {
            using var attempt = await Forms.SignInAsync(outsider, email, $"wrong password {i}");
            bodies.Add(await attempt.Content.ReadAsStringAsync(Ct));
        }
        clock.Stop();
        using var member = factory.CreateBrowserlikeClient("198.51.100.67");
        using var right = await Forms.SignInAsync(member, email, "a long and fine password");

        Assert.All(bodies, b => Assert.Contains("email or password is not right", b, StringComparison.Ordinal));   // never "locked"
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(7), $"8 wrong tries took {clock.Elapsed}: the 6th to 8th wait 1, 2 and 4 s");
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);   // signed in: the outsider locked nobody out
    }

    [Fact]
    public async Task SignIn_AHundredWrongPasswordsInARow_PauseTheAccount_AndAnAddressWithoutAnAccountAnswersJustTheSame()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        const string known = "hundred@demo.local";
        const string unknown = "nobody-here@demo.local";
        await scope.ServiceProvider.GetRequiredService<StaffAccountService>()
            .CreateForSetupAsync(new NewStaffAccount(known, "Hundred", "a long and fine password", [Roles.Handler]), "test", Ct);

        async Task<List<string>> GuessAsync(string email, int network)
        {
            var answers = new List<string>();
            for (var c = 0; c < 20; c++)   // 20 addresses, 5 tries each: the most that no throttle slows
            {
                using var client = factory.CreateBrowserlikeClient($"10.{network}.0.{c + 1}");
                for (var i = 0; i < 5; i++)
                {
                    using var attempt = await Forms.SignInAsync(client, email, $"wrong {c}-{i}");
                    var body = await attempt.Content.ReadAsStringAsync(Ct);
                    answers.Add(body.Contains("is locked", StringComparison.Ordinal) ? "locked" : body.Contains("not right", StringComparison.Ordinal) ? "wrong" : "other");
                }
            }
            using var last = factory.CreateBrowserlikeClient($"10.{network}.1.1");
            using var again = await Forms.SignInAsync(last, email, email == known ? "a long and fine password" : "anything");
            answers.Add((await again.Content.ReadAsStringAsync(Ct)).Contains("is locked", StringComparison.Ordinal) ? "locked" : "not locked");
            return answers;
        }

        var knownAnswers = await GuessAsync(known, 1);
        var unknownAnswers = await GuessAsync(unknown, 2);

        Assert.Equal(Enumerable.Repeat("wrong", 99).Append("locked").Append("locked"), knownAnswers);   // the 100th locks (NIST's cap), the right password waits too
        Assert.Equal(knownAnswers, unknownAnswers);   // no account, same answers: nothing to enumerate
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var user = await db.Users.SingleAsync(u => u.Email == known, Ct);
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
