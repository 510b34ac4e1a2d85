using Bunit;
using EthicsPortal.Core.Security;
using EthicsPortal.Web.Components.Layout;

namespace EthicsPortal.Web.Tests.Layout;

public sealed class NavMenuTests : MudTestContext
{
    [Theory]
    [InlineData(Roles.Admin, true, true, false)]
    [InlineData(Roles.HR, true, false, false)]
    [InlineData(Roles.Handler, true, false, false)]
    [InlineData(Roles.Employee, false, false, true)]
    public void NavMenu_ShowsOnlyWhatTheRoleMayUse(string role, bool overview, bool adminUsers, bool report)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("someone@demo.local");
        auth.SetRoles(role);
        auth.SetPolicies(role == Roles.Admin ? [Policies.Admin, Policies.Staff] : role == Roles.Employee ? [] : [Policies.Staff]);

        var nav = Render<NavMenu>();
        var links = nav.FindAll("[data-testid=nav] a").Select(a => a.GetAttribute("href")).ToList();

        Assert.Equal(overview, links.Contains("staff"));
        Assert.Equal(adminUsers, links.Contains("admin/users"));
        Assert.Equal(report, links.Contains("report"));
        Assert.Contains("account/password", links);
    }

    [Fact]
    public void NavMenu_SpeaksTheChosenLanguage()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("someone@demo.local");
        auth.SetRoles(Roles.Handler);
        auth.SetPolicies(Policies.Staff, Policies.Committee);
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        try
        {
            System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("de");
            var german = Render<NavMenu>().Find("[data-testid=nav-cases]").TextContent;
            System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("ar");
            var arabic = Render<NavMenu>().Find("[data-testid=nav-cases]").TextContent;

            Assert.Contains("Fälle", german, StringComparison.Ordinal);
            Assert.Contains("القضايا", arabic, StringComparison.Ordinal);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = before;
        }
    }
}
