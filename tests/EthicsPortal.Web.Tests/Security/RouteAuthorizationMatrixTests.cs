using System.Net;
using EthicsPortal.Core.Security;
using EthicsPortal.Tests.Shared;

namespace EthicsPortal.Web.Tests.Security;

/// <summary>
/// Every route × every role, from one table of who may open what. Anything not listed as allowed must be
/// refused: a signed-out visitor is sent to sign in, a signed-in one to "access denied".
/// </summary>
public sealed class RouteAuthorizationMatrixTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Everyone = [Anonymous, .. Roles.All];
    private static readonly string[] Staff = [Roles.Handler, Roles.Chair, Roles.HR, Roles.Legal, Roles.Admin];
    private static readonly string[] Committee = [Roles.Handler, Roles.Chair];

    /// <summary>The one table: route → roles that may open it.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["/"] = Everyone,
        ["/report"] = Everyone,
        ["/followup"] = Everyone,
        ["/verify"] = Everyone,
        ["/account/login"] = Everyone,
        ["/health"] = Everyone,
        ["/account/password"] = [.. Roles.All],
        ["/account/passphrase"] = [.. Roles.All],   // single sign-on members choose it; others read that their password does the work
        ["/me"] = [.. Roles.All],
        ["/staff"] = Staff,
        ["/notifications"] = Staff,
        ["/cases"] = Committee,
        ["/cases/new"] = Committee,
        ["/cases/access"] = [Roles.Chair],   // members, grants, identity requests (#16)
        ["/cases/recovery"] = [Roles.Chair],   // the recovery quorum: set up once, recover with M codes (#16)
        ["/cases/1"] = Committee,
        ["/cases/1/attachments/1"] = [],          // nobody may fetch what does not exist …
        ["/customers"] = [Roles.Chair, Roles.Admin],
        ["/customers/1"] = [Roles.Chair, Roles.Admin],
        ["/insights"] = [Roles.HR, Roles.Legal, Roles.Chair, Roles.Admin],
        ["/admin/users"] = [Roles.Admin],
        ["/admin/queues"] = [Roles.Admin],
        ["/admin/audit"] = [Roles.Admin],
    };

    public static TheoryData<string, string> Cells()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in Allowed.Keys)
            foreach (var role in Everyone)
                data.Add(route, role);
        return data;
    }

    private static readonly Dictionary<string, string> DemoAccount = DemoSeeder.Accounts.ToDictionary(a => a.Role, a => a.Email);

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Route_ForRole_IsOpenExactlyWhenTheTableSaysSo(string route, string role)
    {
        using var client = factory.CreateBrowserlikeClient();
        if (role != Anonymous)
        {
            using var signIn = await Forms.SignInAsync(client, DemoAccount[role], DemoSeeder.DemoPassword);
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        using var response = await client.GetAsync(route, TestContext.Current.CancellationToken);

        var expectedAllowed = Allowed[route].Contains(role);
        if (expectedAllowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }
        var refusedTo = response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found ? PortalFactory.PathOf(response) : null;
        var refused = response.StatusCode == HttpStatusCode.NotFound
            || (role == Anonymous ? refusedTo?.StartsWith("/account/login", StringComparison.Ordinal) == true
                                  : refusedTo?.StartsWith("/account/access-denied", StringComparison.Ordinal) == true);
        Assert.True(refused, $"{role} on {route}: {(int)response.StatusCode} {refusedTo}");
    }
}
