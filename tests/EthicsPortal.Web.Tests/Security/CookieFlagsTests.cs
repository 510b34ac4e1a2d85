using EthicsPortal.Tests.Shared;
using Microsoft.AspNetCore.Mvc.Testing;

namespace EthicsPortal.Web.Tests.Security;

/// <summary>Over HTTPS every cookie a reporter page sets carries Secure (the antiforgery cookie once did not).</summary>
public sealed class CookieFlagsTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task ReporterPages_OverHttps_SetOnlySecureHttpOnlyCookies()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false,
        });

        using var response = await client.GetAsync("/report", TestContext.Current.CancellationToken);
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];

        Assert.Contains(cookies, c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(cookies, c => Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase));
    }
}
