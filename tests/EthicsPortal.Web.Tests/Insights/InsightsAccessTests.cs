using System.Net;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Insights;
using EthicsPortal.Core.Security;
using EthicsPortal.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests.Insights;

/// <summary>The role matrix for insights, over HTTP against the real portal with the demo accounts.</summary>
public sealed class InsightsAccessTests : IClassFixture<PortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly SemaphoreSlim SeedGate = new(1, 1);
    private static readonly HashSet<string> Seeded = [];
    private readonly PortalFactory _factory;

    public InsightsAccessTests(PortalFactory factory) => _factory = factory;

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = _factory.CreateBrowserlikeClient();
        using var signIn = await Forms.SignInAsync(client, email, DemoSeeder.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        await SeedOnceAsync();
        return client;
    }

    private async Task SeedOnceAsync()
    {
        await SeedGate.WaitAsync(Ct);
        try
        {
            if (Seeded.Add(_factory.Folder))
                await InsightsData.SeedAsync(_factory.Services.GetRequiredService<IDbContextFactory<EthicsDbContext>>(), Ct);
        }
        finally
        {
            SeedGate.Release();
        }
    }

    [Theory]
    [InlineData("hr@demo.local")]
    [InlineData("legal@demo.local")]
    [InlineData("chair@demo.local")]
    [InlineData("admin@demo.local")]
    public async Task Insights_InsightsRole_OpensThePage(string email)
    {
        using var client = await SignedInAsync(email);

        using var response = await client.GetAsync("/insights?period=2026-03", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        // Staff pages render over the circuit only (no prerender); the figures themselves are checked in bUnit and Chromium.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("blazor.web.js", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("handler@demo.local", "/insights")]
    [InlineData("handler@demo.local", "/insights/print?period=2026")]
    [InlineData("employee@demo.local", "/insights")]
    public async Task Insights_OtherRole_IsDenied(string email, string path)
    {
        using var client = await SignedInAsync(email);

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", PortalFactory.PathOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insights_SignedOut_RedirectsToSignIn()
    {
        using var client = _factory.CreateBrowserlikeClient();

        using var response = await client.GetAsync("/insights", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", PortalFactory.PathOf(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hr@demo.local")]
    [InlineData("legal@demo.local")]
    public async Task CasePage_AsHROrLegal_IsDeniedOrNotFound(string email)
    {
        using var client = await SignedInAsync(email);

        using var response = await client.GetAsync("/cases/1", Ct);

        Assert.True(response.StatusCode == HttpStatusCode.NotFound
                    || (response.StatusCode == HttpStatusCode.Redirect && PortalFactory.PathOf(response).StartsWith("/account/access-denied", StringComparison.Ordinal)),
            $"{(int)response.StatusCode} {response.Headers.Location}");
    }

    [Fact]
    public async Task Print_AsHR_RendersStaticallyForPrintAndIsAudited()
    {
        using var client = await SignedInAsync("hr@demo.local");

        using var response = await client.GetAsync("/insights/print?period=2026-Q1", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.Contains("Q1 2026", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"suppressed\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("blazor.web.js", html, StringComparison.Ordinal);   // static: no circuit, nothing interactive
        Assert.DoesNotContain("data-testid=\"nav\"", html, StringComparison.Ordinal);
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<EthicsDbContext>>().CreateDbContextAsync(Ct);
        var entry = await db.AuditEntries.Where(e => e.Action == InsightsService.ExportAction).OrderByDescending(e => e.Sequence).FirstAsync(Ct);
        Assert.Equal(("insights:print", "period=2026-Q1"), (entry.Subject, entry.Details));
        Assert.StartsWith("staff:", entry.Actor, StringComparison.Ordinal);
    }
}
