extern alias portal;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

/// <summary>
/// The HTTP lines of the table, each against a baseline measured in the same run on the same machine: the portal
/// (Release, real Kestrel port, real SQLite file) and a minimal endpoint that does only the unavoidable part (insert
/// the same request bytes into SQLite; return the same page bytes). Load comes from this process over loopback.
/// </summary>
internal static partial class HttpBench
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(10);
    private static string Stage = "";

    private static (string, string, string, string) Printed((string, string, string, string) row)
    {
        Console.WriteLine($"{row.Item1}: {row.Item3}");
        return row;
    }

    public static async Task<List<(string, string, string, string)>> RunAsync(string folder, int circuits, IReadOnlySet<string> lines, bool postgreSql = false)
    {
        Directory.CreateDirectory(folder);
        // WebApplicationFactory finds a test project's content root from build metadata; a bench names it.
        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "EthicsPortal.sln")))
            repo = repo.Parent;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ETHICSPORTAL_WEB", Path.Combine(repo!.FullName, "src", "EthicsPortal.Web"));
        var rows = new List<(string, string, string, string)>();
        // --postgresql: the portal on a throwaway PostgreSQL cluster (tests/Shared/Postgres/postgres-server.sh); the raw
        // baseline stays a SQLite insert, as the goal defines it.
        await using var postgres = postgreSql ? await PostgresCluster.StartAsync() : null;
        await using var portal = new BenchPortal(folder, postgres?.ConnectionString);
        portal.UseKestrel(0);
        portal.StartServer();
        var portalUrl = portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        await using var raw = await RawServer.StartAsync(Path.Combine(folder, "raw.db"), await PageBytesAsync(portalUrl));

        // Lines to run (all by default): "submit", "flood", "page", "circuits"; for profiling one path at a time.
        bool Wanted(string line) => lines.Count == 0 || lines.Contains(line);
        if (Wanted("submit"))
            rows.Add(Printed(await SubmissionAsync(portalUrl, raw.Url, clients: 32)));
        if (Wanted("flood"))
            rows.Add(Printed(await FloodAsync(folder)));
        if (Wanted("page"))
            rows.Add(Printed(await PageAsync(portalUrl, raw.Url, connections: 64)));
        if (Wanted("circuits"))
        {
            try
            {
                rows.Add(Printed(await CircuitsAsync(portal, portalUrl, circuits)));
            }
            catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
            {
                rows.Add(Printed(("memory per idle staff circuit", "≤ 300 KB", $"not measured: {ex.Message.Split('\n')[0]} ({Stage})", "open")));
            }
        }
        return rows;
    }

    // ---- submission: GET the form (token, cookie) then POST it, as a browser does; only the POST is timed ----

    private static async Task<(string, string, string, string)> SubmissionAsync(string portal, string raw, int clients)
    {
        var baseline = await LoadAsync(clients, () => new RawSubmitter(raw));
        var real = await LoadAsync(clients, () => new PortalSubmitter(portal));
        var ratio = real.PerSecond / baseline.PerSecond;
        return ($"full anonymous HTTP submission vs raw insert ({clients} clients)", "ratio ≥ 0.25, p95 ≤ 50 ms",
            $"{real.PerSecond:N0}/s vs {baseline.PerSecond:N0}/s = {ratio:N2}; p95 {real.P95:N1} ms (raw {baseline.P95:N1} ms){real.ErrorsText}",
            ratio >= 0.25 && real.P95 <= 50 && real.Errors == 0 ? "met" : "missed");
    }

    private interface IClient : IDisposable
    {
        Task<bool> PrepareAsync();     // untimed (e.g. fetch the form)
        Task<bool> SendAsync();        // timed
    }

    private static HttpClient NewClient(bool cookies) => new(new SocketsHttpHandler
    {
        UseCookies = cookies,
        CookieContainer = new CookieContainer(),
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = 1,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    }) { Timeout = TimeSpan.FromSeconds(30) };

    private static MultipartFormDataContent Concern(string token)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("report"), "_handler" },
        };
        foreach (var (key, value) in new Dictionary<string, string>
                 {
                     ["Model.Mode"] = "anonymous",
                     ["Model.Customer"] = "Ministry of Interior (account 4471)",
                     ["Model.ProductKey"] = "cloud-storage",
                     ["Model.MisuseTypeKey"] = "mass-surveillance",
                     ["Model.Description"] = "A government customer stores recordings of civilians' phone calls in bucket gov-intercepts; "
                                             + "the retention policy was changed to keep them for ten years and an AI transcription job runs nightly.",
                     ["Model.WhenWhere"] = "Since March, eu-west region",
                     ["Model.HowKnown"] = "SawIt",
                     ["Model.Ongoing"] = "Yes",
                     ["Model.PeopleInvolved"] = "",
                 })
            content.Add(new StringContent(value), key);
        return content;
    }

    private sealed partial class PortalSubmitter(string baseUrl) : IClient
    {
        private readonly HttpClient _http = NewClient(cookies: true);
        private string _token = "";

        public async Task<bool> PrepareAsync()
        {
            var page = await _http.GetStringAsync(new Uri(baseUrl + "/report"));
            var match = Token().Match(page);
            _token = WebUtility.HtmlDecode(match.Groups[1].Value);
            return match.Success;
        }

        public async Task<bool> SendAsync()
        {
            using var content = Concern(_token);
            using var response = await _http.PostAsync(new Uri(baseUrl + "/report"), content);
            return Stored(response);
        }

        public void Dispose() => _http.Dispose();

        [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
        private static partial Regex Token();
    }

    /// <summary>A stored concern answers with a redirect to its receipt page (post/redirect/get).</summary>
    private static bool Stored(HttpResponseMessage response)
        => response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther
           && response.Headers.Location?.OriginalString.EndsWith("/report/receipt", StringComparison.Ordinal) == true;

    // ---- flood: 50 loopback addresses loop the concern form, with the shipped limits, while a genuine reporter submits ----

    private static async Task<(string, string, string, string)> FloodAsync(string folder)
    {
        var flood = Path.Combine(folder, "flood");
        Directory.CreateDirectory(flood);
        await using var portal = new BenchPortal(flood, null, shippedLimits: true);
        portal.UseKestrel(0);
        portal.StartServer();
        var url = portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        var length = TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();
        var answers = new ConcurrentDictionary<string, int>();
        var genuine = new ConcurrentBag<double>();
        var genuineFailed = 0;

        async Task<bool> SubmitAsync(HttpClient http)
        {
            var page = await http.GetStringAsync(new Uri(url + "/report"));
            using var content = Concern(WebUtility.HtmlDecode(FormToken().Match(page).Groups[1].Value));
            using var response = await http.PostAsync(new Uri(url + "/report"), content);
            answers.AddOrUpdate(Stored(response) ? "stored" : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
            return Stored(response);
        }
        async Task FloodFromAsync(int i)
        {
            using var http = BoundClient(IPAddress.Parse($"127.0.{1 + i / 250}.{1 + i % 250}"));
            while (clock.Elapsed < length)
                await SubmitAsync(http);
        }
        async Task GenuineAsync()
        {
            using var http = BoundClient(IPAddress.Parse("127.0.9.9"));
            while (clock.Elapsed < length)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                var started = clock.Elapsed;
                if (await SubmitAsync(http))
                    genuine.Add((clock.Elapsed - started).TotalMilliseconds);
                else
                    Interlocked.Increment(ref genuineFailed);
            }
        }
        await Task.WhenAll(Enumerable.Range(1, 50).Select(i => Task.Run(() => FloodFromAsync(i))).Append(Task.Run(GenuineAsync)));

        int committee, screening;
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EthicsPortal.Core.Data.EthicsDbContext>();
            screening = db.Cases.Count(c => c.AwaitsScreening);
            committee = answers.GetValueOrDefault("stored") - screening;
        }
        var refused = answers.Where(a => a.Key != "stored").Sum(a => a.Value);
        var sorted = genuine.Order().ToList();
        var p95 = sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(0.95 * sorted.Count) - 1, 0, sorted.Count - 1)];
        return ("flood: 50 loopback addresses loop /report for 20 s, shipped limits; a genuine reporter every 2 s",
            "nothing refused; the genuine reporter always stored, p95 ≤ 2 s",
            $"{answers.Values.Sum() / length.TotalSeconds:N0} concerns/s: {committee} to the committee, {screening} for screening, {refused} refused; genuine {sorted.Count}/{sorted.Count + genuineFailed} stored, p95 {p95:N0} ms",
            refused == 0 && genuineFailed == 0 && p95 <= 2000 ? "met" : "missed");
    }

    /// <summary>A client whose every connection leaves from <paramref name="local"/>, as `curl --interface` does.</summary>
    private static HttpClient BoundClient(IPAddress local) => new(new SocketsHttpHandler
    {
        UseCookies = true,
        CookieContainer = new CookieContainer(),
        AllowAutoRedirect = false,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { Timeout = TimeSpan.FromSeconds(60) };

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    private sealed class RawSubmitter(string baseUrl) : IClient
    {
        private readonly HttpClient _http = NewClient(cookies: false);

        public Task<bool> PrepareAsync() => Task.FromResult(true);

        public async Task<bool> SendAsync()
        {
            using var content = Concern("a token of the same length as the portal's antiforgery token, roughly ninety-five characters long.");
            using var response = await _http.PostAsync(new Uri(baseUrl + "/raw/submit"), content);
            return response.StatusCode == HttpStatusCode.OK;
        }

        public void Dispose() => _http.Dispose();
    }

    // ---- reporter page GET at N connections vs the same bytes from a minimal endpoint ----

    private static async Task<(string, string, string, string)> PageAsync(string portal, string raw, int connections)
    {
        var baseline = await LoadAsync(connections, () => new Getter(raw + "/raw/page"));
        var real = await LoadAsync(connections, () => new Getter(portal + (Environment.GetEnvironmentVariable("EP_BENCH_PAGE") ?? "/report")));
        var ratio = real.PerSecond / baseline.PerSecond;
        return ($"reporter page GET /report vs the same bytes ({connections} connections)", "ratio ≥ 0.2, ≥ 3,000/s, p95 ≤ 50 ms",
            $"{real.PerSecond:N0}/s vs {baseline.PerSecond:N0}/s = {ratio:N2}; p95 {real.P95:N1} ms (raw {baseline.P95:N1} ms){real.ErrorsText}",
            ratio >= 0.2 && real.PerSecond >= 3000 && real.P95 <= 50 && real.Errors == 0 ? "met" : "missed");
    }

    private sealed class Getter(string url) : IClient
    {
        private readonly HttpClient _http = NewClient(cookies: false);
        private readonly Uri _uri = new(url);

        public Task<bool> PrepareAsync() => Task.FromResult(true);

        public async Task<bool> SendAsync()
        {
            using var response = await _http.GetAsync(_uri);
            var body = await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode == HttpStatusCode.OK && body.Length > 1000;
        }

        public void Dispose() => _http.Dispose();
    }

    private sealed record Load(double PerSecond, double P95, int Errors)
    {
        public string ErrorsText => Errors == 0 ? "" : $", {Errors} errors";
    }

    /// <summary>N clients, each with its own connection, sending back to back; counted after a warm-up.</summary>
    private static async Task<Load> LoadAsync(int clients, Func<IClient> create)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var end = Warmup + Measure;
        async Task Run()
        {
            using var client = create();
            while (clock.Elapsed < end)
            {
                try
                {
                    if (!await client.PrepareAsync())
                    {
                        Interlocked.Increment(ref errors);
                        continue;
                    }
                    var started = clock.Elapsed;
                    var ok = await client.SendAsync();
                    var finished = clock.Elapsed;
                    if (started < Warmup || finished > end)
                        continue;
                    if (ok)
                        latencies.Add((finished - started).TotalMilliseconds);
                    else
                        Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Run)));
        var sorted = latencies.Order().ToList();
        var p95 = sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(0.95 * sorted.Count) - 1, 0, sorted.Count - 1)];
        return new Load(sorted.Count / Measure.TotalSeconds, p95, errors);
    }

    private static async Task<byte[]> PageBytesAsync(string portal)
    {
        using var http = NewClient(cookies: false);
        return await http.GetByteArrayAsync(new Uri(portal + "/report"));
    }

    // ---- memory per idle staff circuit: real circuits from Chromium, managed heap measured in this process ----

    private static async Task<(string, string, string, string)> CircuitsAsync(BenchPortal portal, string baseUrl, int count)
    {
        const string chromium = "/usr/bin/chromium";
        if (!File.Exists(chromium))
            return ("memory per idle staff circuit", "≤ 300 KB", "not measured: apt-get install -y chromium", "open");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--renderer-process-limit=4", "--disable-renderer-backgrounding", "--disable-background-timer-throttling"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        context.SetDefaultTimeout(120_000);
        Stage = "sign-in";
        var signIn = await context.NewPageAsync();
        await signIn.GotoAsync("/account/login");
        await signIn.FillAsync("[data-testid=login-email]", "chair@demo.local");
        await signIn.FillAsync("[data-testid=login-password]", EthicsPortal.Core.Security.DemoSeeder.DemoPassword);
        await signIn.ClickAsync("[data-testid=login-submit]");
        await signIn.WaitForSelectorAsync("[data-testid=signed-in-user]");
        await signIn.CloseAsync();

        // Control: the same number of pages on a page without a circuit, so what Playwright keeps per page in this
        // process (and Kestrel per connection) is subtracted from what the circuits cost.
        Stage = "control pages";
        var before = Heap();
        var control = await OpenAsync(context, count, "/report", "main", () => Task.CompletedTask);
        var controlBytes = Heap() - before;
        foreach (var page in control)
            await page.CloseAsync();

        var counter = portal.Services.GetRequiredService<CircuitCounter>();
        var baseline = Heap();
        Stage = "circuit pages";
        var path = Environment.GetEnvironmentVariable("EP_BENCH_CIRCUIT_PATH") ?? "/cases";
        var pages = await OpenAsync(context, count, path, "[data-testid=signed-in-user]", () => counter.WaitForAsync(count));
        await Task.Delay(TimeSpan.FromSeconds(3));   // idle: first renders done, nothing pending
        var circuitBytes = Heap() - baseline;
        var perCircuit = (circuitBytes - controlBytes) / (double)count / 1024;
        foreach (var page in pages)
            await page.CloseAsync();
        return ($"memory per idle staff circuit ({count} circuits on /cases, managed heap)", "≤ 300 KB",
            $"{perCircuit:N0} KB ({circuitBytes / 1024.0 / count:N0} KB with the browser's share, control {controlBytes / 1024.0 / count:N0} KB)",
            perCircuit <= 300 ? "met" : "missed");
    }

    private static async Task<List<IPage>> OpenAsync(IBrowserContext context, int count, string path, string shown, Func<Task> ready)
    {
        var pages = new List<IPage>(count);
        for (var i = 0; i < count; i++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            await page.WaitForSelectorAsync(shown);
            pages.Add(page);
        }
        await ready();
        return pages;
    }

    private static long Heap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>The portal as the E2E tests host it, in Release, with demo accounts and no submission limits.</summary>
    private sealed class BenchPortal(string folder, string? postgreSql, bool shippedLimits = false) : WebApplicationFactory<portal::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Database:SqlitePath", Path.Combine(folder, "portal.db"));
            builder.UseSetting("Database:Provider", postgreSql is null ? "Sqlite" : "PostgreSql");
            builder.UseSetting("Database:PostgreSqlConnection", postgreSql);
            builder.UseSetting("DataProtection:KeyRingPath", Path.Combine(folder, "keys"));
            builder.UseSetting("Audit:HeadFilePath", Path.Combine(folder, "audit-head.txt"));
            builder.UseSetting("Demo:Seed", "true");
            builder.UseSetting("Security:RequireStaffMfa", "false");
            if (!shippedLimits)
            {
                builder.UseSetting("Intake:SubmissionsPerClientPerHour", "100000000");
                builder.UseSetting("Intake:SubmissionsPerHour", "100000000");
            }
            builder.ConfigureLogging(l => l.ClearProviders());
            builder.ConfigureServices(s =>
            {
                s.AddSingleton<CircuitCounter>();
                s.AddSingleton<CircuitHandler>(sp => sp.GetRequiredService<CircuitCounter>());
            });
        }
    }

    private sealed class CircuitCounter : CircuitHandler
    {
        private int _open;

        public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _open);
            return Task.CompletedTask;
        }

        public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref _open);
            return Task.CompletedTask;
        }

        public async Task WaitForAsync(int count)
        {
            var waited = Stopwatch.StartNew();
            while (Volatile.Read(ref _open) < count && waited.Elapsed < TimeSpan.FromMinutes(3))
                await Task.Delay(100);
            if (Volatile.Read(ref _open) < count)
                throw new TimeoutException($"only {_open} of {count} circuits came up");
        }
    }

    /// <summary>The baseline: a minimal Kestrel app that inserts the request bytes into SQLite (WAL, synchronous=FULL,
    /// like the portal) or returns fixed page bytes.</summary>
    private sealed class RawServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private RawServer(WebApplication app, string url) => (_app, Url) = (app, url);

        public string Url { get; }

        public static async Task<RawServer> StartAsync(string database, byte[] page)
        {
            var connection = $"Data Source={database};Pooling=True";
            await using (var setup = new SqliteConnection(connection))
            {
                await setup.OpenAsync();
                await using var create = setup.CreateCommand();
                create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS Raw (Id INTEGER PRIMARY KEY, Body BLOB NOT NULL);";
                await create.ExecuteNonQueryAsync();
            }
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapPost("/raw/submit", async (HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                await using var db = new SqliteConnection(connection);
                await db.OpenAsync();
                await using var insert = db.CreateCommand();
                insert.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; INSERT INTO Raw (Body) VALUES ($b);";
                insert.Parameters.AddWithValue("$b", body.ToArray());
                await insert.ExecuteNonQueryAsync();
                return Results.Ok();
            });
            app.MapGet("/raw/page", () => Results.Bytes(page, "text/html; charset=utf-8"));
            await app.StartAsync();
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new RawServer(app, url);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>A throwaway PostgreSQL cluster on 127.0.0.1 for the --postgresql run, stopped and deleted afterwards.</summary>
    private sealed class PostgresCluster : IAsyncDisposable
    {
        private readonly string _dir;

        private PostgresCluster(string dir, string connectionString) => (_dir, ConnectionString) = (dir, connectionString);

        public string ConnectionString { get; }

        public static async Task<PostgresCluster> StartAsync()
        {
            var dir = Path.Combine(Path.GetTempPath(), "ep-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
            var admin = await EthicsPortal.Tests.Shared.PostgresScript.StartAsync(dir);
            // The benchmark wants a durable server: the test script turns fsync off, so turn it back on.
            await using (var connection = new Npgsql.NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var command = new Npgsql.NpgsqlCommand(
                    "ALTER SYSTEM SET fsync = on; ALTER SYSTEM SET synchronous_commit = on; ALTER SYSTEM SET full_page_writes = on; SELECT pg_reload_conf();", connection);
                await command.ExecuteNonQueryAsync();
            }
            return new PostgresCluster(dir, admin);
        }

        public async ValueTask DisposeAsync()
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await EthicsPortal.Tests.Shared.PostgresScript.StopAsync(_dir);
        }
    }
}
