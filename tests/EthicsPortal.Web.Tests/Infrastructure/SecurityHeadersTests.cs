using EthicsPortal.Web.Components.Account;
using EthicsPortal.Web.Infrastructure;

namespace EthicsPortal.Web.Tests.Infrastructure;

/// <summary>
/// The page policy's form targets: the portal only, and with single sign-on the provider's origin too, because browsers
/// check form-action against the redirect the sign-in form's POST answers with (SingleSignOnUnlockFlowTests found it in
/// Chromium: the button did nothing).
/// </summary>
public sealed class SecurityHeadersTests
{
    [Fact]
    public void WithoutSingleSignOn_FormsPostToThePortalOnly()
        => Assert.Contains("form-action 'self';", SecurityHeaders.PolicyFor(new SingleSignOnOptions { Authority = "https://login.corp.example" }), StringComparison.Ordinal);

    [Fact]
    public void WithSingleSignOn_TheProvidersOriginAlone_IsAFormTargetToo()
    {
        var policy = SecurityHeaders.PolicyFor(new SingleSignOnOptions { Enabled = true, Authority = "https://login.corp.example/tenant-7/v2.0" });

        Assert.Contains("form-action 'self' https://login.corp.example;", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("form-action 'self';", SecurityHeaders.PolicyFor(new SingleSignOnOptions { Enabled = true, Authority = "not a url" }), StringComparison.Ordinal);
    }
}
