using EthicsPortal.Tests.Shared;
using System.Net;
using Microsoft.Data.Sqlite;

namespace EthicsPortal.Web.Tests.Home;

public sealed class HomeAndHealthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Home_ExplainsThePortalAndLinksToReportAndFollowUp_WithMudBlazorStylesAndNoScript()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        using var css = await client.GetAsync("_content/MudBlazor/MudBlazor.min.css", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("href=\"/report\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/followup\"", html, StringComparison.Ordinal);
        Assert.Contains("anonymous", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("_content/MudBlazor/MudBlazor.min.css", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);   // works with JavaScript off
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.True((await css.Content.ReadAsByteArrayAsync(Ct)).Length > 10_000);
        Assert.True(File.Exists(factory.DatabasePath), "the test host uses its own database file");
    }

    [Fact]
    public async Task Pages_SendPrivacyHeaders()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/", Ct);

        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Health_DatabaseAnswers_Returns200()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_DatabaseBroken_Returns503()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateClient();
        using (await client.GetAsync("/health", Ct)) { }

        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "-wal", "-shm" })
            File.Delete(factory.DatabasePath + suffix);
        await File.WriteAllBytesAsync(factory.DatabasePath, new byte[8192], Ct);   // no longer a database
        using var response = await client.GetAsync("/health", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
