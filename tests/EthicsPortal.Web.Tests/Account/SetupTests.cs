using EthicsPortal.Tests.Shared;
using System.Net;
using EthicsPortal.Core.Security;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests.Account;

public sealed class SetupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Setup_WithDemoAccounts_AnswersNotFound()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/setup", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Setup_FirstStart_WrongTokenRefused_RightTokenCreatesAdmin_ThenNotFound()
    {
        await using var factory = PortalFactory.WithoutDemo();
        using var client = factory.CreateBrowserlikeClient();
        using (var open = await client.GetAsync("/setup", Ct))
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        // The operator reads the token from the console; the test asks the same component for a fresh one.
        var token = await factory.Services.GetRequiredService<FirstAdminSetup>().OpenIfNoAdminAsync(Ct);
        Assert.NotNull(token);

        using var wrong = await Forms.PostAsync(client, "/setup", "setup", Fields("not-the-token"));
        using var right = await Forms.PostAsync(client, "/setup", "setup", Fields(token));
        using var after = await client.GetAsync("/setup", Ct);
        using var signIn = await Forms.SignInAsync(client, "root@example.org", "a long first admin password");

        Assert.Contains("setup token is not right", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal("/staff", PortalFactory.PathOf(signIn));
    }

    private static Dictionary<string, string> Fields(string token) => new()
    {
        ["Input.Token"] = token,
        ["Input.Email"] = "root@example.org",
        ["Input.DisplayName"] = "Root Admin",
        ["Input.Password"] = "a long first admin password",
    };
}
