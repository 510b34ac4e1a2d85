using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace EthicsPortal.Tests.Shared;

/// <summary>
/// Shared by the Web and EndToEnd test projects (compiled into each).
/// The real portal over a real SQLite file and key ring in a temporary folder; demo accounts unless told otherwise.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    public PortalFactory() : this(demo: true) { }

    public static PortalFactory WithoutDemo() => new NoDemo();

    protected PortalFactory(bool demo)
    {
        Demo = demo;
        Folder = Path.Combine(Path.GetTempPath(), "ep-web-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public bool Demo { get; }
    public string Folder { get; }
    public string DatabasePath => Path.Combine(Folder, "portal.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:SqlitePath", DatabasePath);
        builder.UseSetting("DataProtection:KeyRingPath", Path.Combine(Folder, "keys"));
        builder.UseSetting("Audit:HeadFilePath", Path.Combine(Folder, "audit-head.txt"));
        builder.UseSetting("Demo:Seed", Demo ? "true" : "false");
    }

    /// <summary>The path (and query) a redirect points to, whether the Location is absolute or relative.</summary>
    public static string PathOf(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new InvalidOperationException($"no redirect: {(int)response.StatusCode}");
        return location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }

    public HttpClient CreateBrowserlikeClient()
        => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}

internal sealed class NoDemo : PortalFactory
{
    public NoDemo() : base(demo: false) { }
}

/// <summary>Static SSR forms as a browser posts them: antiforgery token and Blazor's form name included.</summary>
public static partial class Forms
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string formName, IDictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(url, TestContext.Current.CancellationToken);
        var token = AntiforgeryToken().Match(page);
        Assert.True(token.Success, $"no antiforgery token on {url}");
        var form = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = formName,
        };
        using var content = new FormUrlEncodedContent(form);
        return await client.PostAsync(url, content, TestContext.Current.CancellationToken);
    }

    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password)
        => PostAsync(client, "/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
