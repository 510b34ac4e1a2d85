using Bunit;
using EthicsPortal.Core;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using EthicsPortal.Web.Components.Admin;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests.Admin;

/// <summary>The admin page over the real account service and a real SQLite file.</summary>
public sealed class UsersPageTests : MudTestContext
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ep-bunit-" + Guid.NewGuid().ToString("N"));

    public UsersPageTests()
    {
        Directory.CreateDirectory(_folder);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:SqlitePath"] = "portal.db",
            ["DataProtection:KeyRingPath"] = "keys",
            ["Audit:HeadFilePath"] = "audit-head.txt",
        }).Build();
        Services.AddLogging();
        Services.AddEthicsCore(configuration, _folder);
        var auth = AddAuthorization();
        auth.SetAuthorized("admin@demo.local");
        auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, "admin-id"));
        auth.SetRoles(Roles.Admin);
        Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(Xunit.TestContext.Current.CancellationToken).GetAwaiter().GetResult();
    }

    [Fact]
    public void Create_CommonPassword_ShowsTheReasonAndCreatesNothing()
    {
        RenderProviders();
        var page = Render<Users>();

        page.Find("[data-testid=new-user-email]").Change("hana@demo.local");
        page.Find("[data-testid=new-user-name]").Change("Hana");
        page.Find("[data-testid=new-user-password]").Change("123qweasdzxc");
        page.Find("[data-testid=new-user-role-Handler]").Change(true);
        page.Find("[data-testid=create-user]").Click();

        page.WaitForAssertion(() => Assert.Contains("most common passwords", page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=user-email]"));
    }

    [Fact]
    public void Create_ValidAccount_AppearsInTheTableWithItsRole()
    {
        RenderProviders();
        var page = Render<Users>();

        page.Find("[data-testid=new-user-email]").Change("hana@demo.local");
        page.Find("[data-testid=new-user-name]").Change("Hana Handler");
        page.Find("[data-testid=new-user-password]").Change("a handler's long passphrase");
        page.Find("[data-testid=new-user-role-Handler]").Change(true);
        page.Find("[data-testid=create-user]").Click();

        page.WaitForAssertion(() => Assert.Equal("hana@demo.local", page.Find("[data-testid=user-email]").TextContent.Trim()));
        Assert.Contains("Handler", page.Find("[data-testid=users-table]").TextContent, StringComparison.Ordinal);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}
