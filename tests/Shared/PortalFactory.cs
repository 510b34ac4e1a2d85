using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EthicsPortal.Tests.Shared;

/// <summary>
/// Shared by the Web and EndToEnd test projects (compiled into each).
/// The real portal over a real SQLite file and key ring in a temporary folder; demo accounts unless told otherwise.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    public PortalFactory() : this(demo: true) { }

    public static PortalFactory WithoutDemo() => new NoDemo();

    /// <summary>
    /// A portal on a copy of the data folder a build before sealed cases made (tests/Shared/LegacyPortal): run `keys migrate`
    /// on it (<see cref="KeysMigrateArgs"/>) before the first client, or the portal refuses to start.
    /// </summary>
    public static PortalFactory FromLegacyPortal() => new LegacyFolder(postgreSql: null);

    /// <summary>The same on PostgreSQL: the old build's database restored from its dump (tests/Shared/LegacyPortal/postgresql).</summary>
    public static async Task<PortalFactory> FromLegacyPortalOnPostgreSqlAsync()
        => new LegacyFolder(await PostgresServer.RestoreAsync(Path.Combine(AppContext.BaseDirectory, "LegacyPortal", "postgresql", "portal.pgdump"),
            TestContext.Current.CancellationToken));

    /// <summary>The fixture's concern sent over HTTP to the old build (tests/Shared/LegacyPortal/README.md).</summary>
    public const string LegacyReference = "C-3H78-MB6Z", LegacyReceipt = "9KWA-3X83-6NM1-YCX7-QXFB-X9S6";

    /// <summary>The same concern in the PostgreSQL fixture.</summary>
    public const string LegacyPostgreSqlReference = "C-JBEB-93VQ", LegacyPostgreSqlReceipt = "CXTJ-YHV7-DR7G-H10Y-PWFR-YTEW";

    /// <summary>`keys migrate` on this portal's data folder, as its README command would run it from the project root with these settings.</summary>
    public string[] KeysMigrateArgs(params string[] more) =>
    [
        "migrate", .. more, $"--Database:SqlitePath={DatabasePath}", $"--DataProtection:KeyRingPath={Path.Combine(Folder, "keys")}",
        $"--Audit:HeadFilePath={Path.Combine(Folder, "audit-head.txt")}",
        .. PostgreSql is null ? [] : new[] { "--Database:Provider=PostgreSql", $"--Database:PostgreSqlConnection={PostgreSql}" },
    ];

    protected PortalFactory(bool demo, string? folder = null)
    {
        Demo = demo;
        _ownsFolder = folder is null;
        Folder = folder ?? Path.Combine(Path.GetTempPath(), "ep-web-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    private readonly bool _ownsFolder;

    /// <summary>
    /// A second portal instance on this one's database file, key ring and audit head (what two instances behind a load
    /// balancer share), with services and memory of its own. Dispose it before this one, which owns the folder.
    /// </summary>
    public PortalFactory AnotherInstance() => new SharedFolder(Folder, PostgreSql, Settings);

    /// <summary>The address every test request seems to come from; it must never be stored or logged.</summary>
    public static readonly IPAddress ClientAddress = IPAddress.Parse("203.0.113.77");

    public bool Demo { get; }
    public string Folder { get; }

    /// <summary>Extra configuration, set before the first client is created.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>When set before the first client, the portal's clock (deadlines, idle timeouts, check-ins).</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>Every log line the portal wrote, at Debug level and above.</summary>
    public ConcurrentQueue<string> Logs { get; } = new();
    public string DatabasePath => Path.Combine(Folder, "portal.db");

    /// <summary>The PostgreSQL database's connection string when the test class is marked [OnPostgreSql]; else null (SQLite).</summary>
    public string? PostgreSql { get; protected set; }

    /// <summary>Every byte the database holds: SQLite's files after a checkpoint, or PostgreSQL's tables as COPY reads them.</summary>
    public async Task<byte[]> RawDatabaseAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        if (PostgreSql is { } postgreSql)
            return await PostgresServer.DumpAsync(postgreSql, ct);
        await using (var c = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await c.OpenAsync(ct);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(FULL);";
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var parts = new List<byte>();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(DatabasePath + suffix))
            {
                await using var stream = new FileStream(DatabasePath + suffix, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, ct);
                parts.AddRange(copy.ToArray());
            }
        }
        return [.. parts];
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The host is built inside the first test that asks for a client, so the test's class can choose the provider.
        if (OnPostgreSqlAttribute.Current && PostgreSql is null)
            PostgreSql = PostgresServer.CreateDatabaseAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        builder.UseSetting("Database:Provider", PostgreSql is null ? "Sqlite" : "PostgreSql");
        builder.UseSetting("Database:PostgreSqlConnection", PostgreSql);
        builder.UseSetting("Database:SqlitePath", DatabasePath);
        builder.UseSetting("DataProtection:KeyRingPath", Path.Combine(Folder, "keys"));
        builder.UseSetting("Audit:HeadFilePath", Path.Combine(Folder, "audit-head.txt"));
        builder.UseSetting("Demo:Seed", Demo ? "true" : "false");
        // Staff MFA has its own tests (MfaTests); elsewhere it would only add a step to every sign-in.
        builder.UseSetting("Security:RequireStaffMfa", "false");
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new CapturingLoggerProvider(Logs)));
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, FixedClientAddress>());
        if (Time is { } time)
            builder.ConfigureTestServices(services => services.AddSingleton(time));
    }

    /// <summary>The path (and query) a redirect points to, whether the Location is absolute or relative.</summary>
    public static string PathOf(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new InvalidOperationException($"no redirect: {(int)response.StatusCode}");
        return location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }

    public HttpClient CreateBrowserlikeClient()
        => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A browser-like client whose requests come from <paramref name="address"/>.</summary>
    public HttpClient CreateBrowserlikeClient(string address)
    {
        var client = CreateBrowserlikeClient();
        client.DefaultRequestHeaders.Add(FixedClientAddress.Header, address);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (!_ownsFolder)
            return;   // another instance's data: its owner drops the database and deletes the folder
        if (PostgreSql is { } postgreSql)
            PostgresServer.DropDatabaseAsync(postgreSql).GetAwaiter().GetResult();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}

/// <summary>
/// The test server has no socket; give every request a recognisable client address, or the one a test names in
/// <see cref="Header"/> (to stand for several clients). Test harness only: the portal never reads such a header.
/// </summary>
internal sealed class FixedClientAddress : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var named) && IPAddress.TryParse(named.ToString(), out var address))
                context.Connection.RemoteIpAddress = address;
            context.Connection.RemoteIpAddress ??= PortalFactory.ClientAddress;
            return nextMiddleware(context);
        });
        next(app);
    };
}

internal sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}

internal sealed class NoDemo : PortalFactory
{
    public NoDemo() : base(demo: false) { }
}

internal sealed class LegacyFolder : PortalFactory
{
    public LegacyFolder(string? postgreSql) : base(demo: false)
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "LegacyPortal");
        PostgreSql = postgreSql;
        if (postgreSql is null)
        {
            using var packed = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(fixture, "portal.db.gz")), System.IO.Compression.CompressionMode.Decompress);
            using var unpacked = File.Create(DatabasePath);
            packed.CopyTo(unpacked);
        }
        else
            fixture = Path.Combine(fixture, "postgresql");
        Directory.CreateDirectory(Path.Combine(Folder, "keys"));
        foreach (var file in Directory.GetFiles(Path.Combine(fixture, "keys")))
            File.Copy(file, Path.Combine(Folder, "keys", Path.GetFileName(file)));
        File.Copy(Path.Combine(fixture, "audit-head.txt"), Path.Combine(Folder, "audit-head.txt"));
    }
}

internal sealed class SharedFolder : PortalFactory
{
    public SharedFolder(string folder, string? postgreSql, IReadOnlyDictionary<string, string?> settings) : base(demo: false, folder)
    {
        PostgreSql = postgreSql;   // the same database, not a fresh one
        foreach (var (key, value) in settings)
            Settings[key] = value;
    }
}

/// <summary>Static SSR forms as a browser posts them: antiforgery token and Blazor's form name included.</summary>
public static partial class Forms
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string formName, IDictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(url, TestContext.Current.CancellationToken);
        AssertFieldsExist(page, fields.Keys);
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

    /// <summary>The concern form as a browser posts it: multipart, with files under "attachments".</summary>
    public static async Task<HttpResponseMessage> SubmitConcernAsync(HttpClient client, IDictionary<string, string> fields,
        params (string Name, byte[] Content)[] files)
    {
        var page = await client.GetStringAsync("/report", TestContext.Current.CancellationToken);
        AssertFieldsExist(page, fields.Keys);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(TokenFrom(page)), "__RequestVerificationToken" },
            { new StringContent("report"), "_handler" },
        };
        foreach (var (key, value) in fields)
            content.Add(new StringContent(value), key);
        foreach (var (name, bytes) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            if (name.Length > 0)
                content.Add(file, "attachments", name);
            else
            {
                // What a browser sends for a file input with nothing chosen: a part with an empty file name.
                file.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("form-data") { Name = "\"attachments\"", FileName = "\"\"" };
                content.Add(file);
            }
        }
        var posted = await client.PostAsync("/report", content, TestContext.Current.CancellationToken);
        if (posted.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.SeeOther))
            return posted;
        // A stored concern redirects to its receipt (post/redirect/get); follow it as a browser does.
        var location = PortalFactory.PathOf(posted);
        posted.Dispose();
        return await client.GetAsync(location, TestContext.Current.CancellationToken);
    }

    /// <summary>Where a stored action redirects (post/redirect/get), the page a browser then GETs; else the response itself.</summary>
    public static async Task<string> FollowAsync(HttpClient client, HttpResponseMessage posted)
    {
        if (posted.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.SeeOther))
            return await posted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return await client.GetStringAsync(PortalFactory.PathOf(posted), TestContext.Current.CancellationToken);
    }

    /// <summary>A complete, valid anonymous concern; callers override what they test.</summary>
    public static Dictionary<string, string> Concern(string description = "A government customer stores recordings of civilians' phone calls in bucket gov-intercepts.") => new()
    {
        ["Model.Mode"] = "anonymous",
        ["Model.Customer"] = "Ministry of Interior (account 4471)",
        ["Model.ProductKey"] = "cloud-storage",
        ["Model.MisuseTypeKey"] = "mass-surveillance",
        ["Model.Description"] = description,
        ["Model.WhenWhere"] = "Since March, eu-west region",
        ["Model.HowKnown"] = "SawIt",
        ["Model.Ongoing"] = "Yes",
        ["Model.PeopleInvolved"] = "",
    };

    /// <summary>A hand-made post proves nothing if a browser would send other names: every field must be on the page.</summary>
    public static void AssertFieldsExist(string page, IEnumerable<string> names)
    {
        foreach (var name in names)
            Assert.True(page.Contains($"name=\"{name}\"", StringComparison.Ordinal), $"the page has no field named {name}");
    }

    public static string TokenFrom(string page)
    {
        var token = AntiforgeryToken().Match(page);
        Assert.True(token.Success, "no antiforgery token on the page");
        return System.Net.WebUtility.HtmlDecode(token.Groups[1].Value);
    }

    /// <summary>The text of the first element with this data-testid.</summary>
    public static string? TestId(string html, string testId)
    {
        var match = Regex.Match(html, $"data-testid=\"{Regex.Escape(testId)}\"[^>]*>([^<]*)<");
        return match.Success ? System.Net.WebUtility.HtmlDecode(match.Groups[1].Value).Trim() : null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
