using Bunit;
using EthicsPortal.Core.Security;
using EthicsPortal.Web.Components.Layout;

namespace EthicsPortal.Web.Tests.Insights;

public sealed class InsightsNavTests : MudTestContext
{
    [Theory]
    [InlineData(Roles.HR, true)]
    [InlineData(Roles.Legal, true)]
    [InlineData(Roles.Chair, true)]
    [InlineData(Roles.Admin, true)]
    [InlineData(Roles.Handler, false)]
    [InlineData(Roles.Employee, false)]
    public void NavMenu_InsightsLink_OnlyForInsightsRoles(string role, bool shown)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("someone@demo.local");
        auth.SetRoles(role);
        string[] policies = role switch
        {
            Roles.Employee => [],
            Roles.Handler => [Policies.Staff, Policies.Committee],
            Roles.Chair => [Policies.Staff, Policies.Committee, Policies.Insights],
            Roles.Admin => [Policies.Staff, Policies.Admin, Policies.Insights],
            _ => [Policies.Staff, Policies.Insights],
        };
        auth.SetPolicies(policies);

        var nav = Render<NavMenu>();

        Assert.Equal(shown, nav.FindAll("[data-testid=nav] a").Any(a => a.GetAttribute("href") == "insights"));
    }
}
