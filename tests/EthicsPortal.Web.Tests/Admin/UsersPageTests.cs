using Bunit;
using EthicsPortal.Core.Security;
using EthicsPortal.Web.Components.Admin;

namespace EthicsPortal.Web.Tests.Admin;

/// <summary>The admin page over the real account service and a real SQLite file.</summary>
public sealed class UsersPageTests : CoreBackedTestContext
{
    public UsersPageTests() => SignInAs("admin", Roles.Admin);

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
        Assert.DoesNotContain(page.FindAll("[data-testid=user-email]"), e => e.TextContent.Contains("hana@", StringComparison.Ordinal));
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

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=user-email]"), e => e.TextContent.Trim() == "hana@demo.local"));
        Assert.Contains("Handler", page.Find("[data-testid=users-table]").TextContent, StringComparison.Ordinal);
    }
}
