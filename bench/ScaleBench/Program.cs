using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using EthicsPortal.Core;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Insights;
using EthicsPortal.Core.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// The scale measurements of one run, as one table: committee queue at 100k and 1M cases, insights at 1M, audit chain
// verification, cold start of the portal on the 1M database, then the HTTP lines (HttpBench.cs). Usage:
//   dotnet build src/EthicsPortal.Web -c Release && dotnet run -c Release --project bench/ScaleBench -- [small] [large] [--keep folder]
//       [--circuits N] [--http-only] [--http-lines submit,flood,page,circuits] [--postgresql] [--sealing-only]
// Sizes are the bare numbers that are not an option's value (--circuits 100).
var numbers = args.Where((a, i) => int.TryParse(a, out _) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal)))
    .Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
var small = numbers.Length > 0 ? numbers[0] : 100_000;
var large = numbers.Length > 1 ? numbers[1] : 1_000_000;
var keepAt = Array.IndexOf(args, "--keep");
var keep = keepAt >= 0 && keepAt + 1 < args.Length ? Path.GetFullPath(args[keepAt + 1]) : null;
var root = Path.Combine(keep ?? Path.GetTempPath(), keep is null ? "ep-scale-" + Guid.NewGuid().ToString("N")[..8] : "");
var circuitsAt = Array.IndexOf(args, "--circuits");
var circuits = circuitsAt >= 0 && circuitsAt + 1 < args.Length ? int.Parse(args[circuitsAt + 1], CultureInfo.InvariantCulture) : 100;
var httpOnly = args.Contains("--http-only");
var rows = new List<(string Measure, string Goal, string Measured, string Verdict)>();

try
{
    if (args.Contains("--sealing-only"))
        rows.AddRange(await SealingBench.RunAsync(Path.Combine(root, "sealing")));
    else if (!httpOnly)
    {
        await DataLinesAsync();
        rows.AddRange(await SealingBench.RunAsync(Path.Combine(root, "sealing")));
    }
    var linesAt = Array.IndexOf(args, "--http-lines");
    var httpLines = linesAt >= 0 && linesAt + 1 < args.Length ? args[linesAt + 1].Split(',').ToHashSet() : [];
    if (!args.Contains("--sealing-only"))
        rows.AddRange(await HttpBench.RunAsync(Path.Combine(root, "http"), circuits, httpLines, postgreSql: args.Contains("--postgresql")));

    Console.WriteLine();
    Console.WriteLine("| measure | goal | measured | verdict |");
    Console.WriteLine("|---|---|---|---|");
    foreach (var (measure, goal, measured, verdict) in rows)
        Console.WriteLine($"| {measure} | {goal} | {measured} | {verdict} |");
}
finally
{
    SqliteConnection.ClearAllPools();
    if (keep is null)
    {
        try { Directory.Delete(root, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}

async Task DataLinesAsync()
{
    await using (var smallDb = await Bench.OpenAsync(Path.Combine(root, "small"), small))
    {
        rows.Add(await Bench.QueueAsync(smallDb, small, goalMs: 20));
        rows.Add(await Bench.AuditVerifyAsync(smallDb, 100_000));
    }
    await using (var largeDb = await Bench.OpenAsync(Path.Combine(root, "large"), large))
    {
        rows.Add(await Bench.QueueAsync(largeDb, large, goalMs: 50));
        rows.Add(await Bench.InsightsAsync(largeDb, large));
    }
    rows.Add(await Bench.ColdStartAsync(Path.Combine(root, "large"), large));
}

internal sealed class Bench : IAsyncDisposable
{
    private Bench(ServiceProvider services, string folder) => (Services, Folder) = (services, folder);

    public ServiceProvider Services { get; }
    public string Folder { get; }
    public string ChairId { get; private set; } = "";

    public static IEnumerable<string> StorageArguments(string folder) =>
    [
        $"--Database:SqlitePath={Path.Combine(folder, "bench.db")}",
        $"--DataProtection:KeyRingPath={Path.Combine(folder, "keys")}",
        $"--Audit:HeadFilePath={Path.Combine(folder, "audit-head.txt")}",
    ];

    /// <summary>Opens (or makes) a database of <paramref name="cases"/> generated cases with one Chair.</summary>
    public static async Task<Bench> OpenAsync(string folder, int cases)
    {
        Directory.CreateDirectory(folder);
        var configuration = new ConfigurationBuilder().AddCommandLine(StorageArguments(folder).ToArray()).Build();
        // --sql: every database command slower than 20 ms, with its text, to find what a slow line runs.
        var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Error)
                .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", Environment.GetCommandLineArgs().Contains("--sql") ? LogLevel.Information : LogLevel.Error)
                .AddProvider(new ConsoleLines(SlowCommands.Keep)))
            .AddEthicsCore(configuration, folder).BuildServiceProvider();
        var bench = new Bench(services, folder);
        var path = Path.Combine(folder, "bench.db");
        var fresh = !File.Exists(path);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        if (fresh)
        {
            var fill = Stopwatch.StartNew();
            await BenchData.FillAsync(services.GetRequiredService<IDbContextFactory<EthicsDbContext>>(), path, cases);
            Console.WriteLine($"Filled {cases:N0} cases in {fill.Elapsed.TotalSeconds:N0} s.");
        }
        else
        {
            // A reused file may have gained indexes from a newer migration: measure with full statistics, as after ANALYZE.
            await using var connection = new SqliteConnection(CoreServices.SqliteConnectionString(path));
            await connection.OpenAsync();
            await using var analyze = connection.CreateCommand();
            analyze.CommandText = "ANALYZE;";
            await analyze.ExecuteNonQueryAsync();
        }
        // The chair comes from the demo accounts: creating an account needs an acting Admin, and the seeder is the
        // portal's own set-up path (a database kept from an older bench may still hold its own chair).
        await services.GetRequiredService<DemoSeeder>().SeedAsync();
        await using (var db = await services.GetRequiredService<IDbContextFactory<EthicsDbContext>>().CreateDbContextAsync())
            bench.ChairId = await db.Users.Where(u => u.Email == "chair@bench.local").Select(u => u.Id).SingleOrDefaultAsync()
                            ?? await db.Users.Where(u => u.Email == "chair@demo.local").Select(u => u.Id).SingleAsync();
        return bench;
    }

    /// <summary>The queue as the chair sees it: three common views, filtered and sorted in SQL, 30 times each.</summary>
    public static async Task<(string, string, string, string)> QueueAsync(Bench bench, int cases, int goalMs)
    {
        var queries = bench.Services.GetRequiredService<CaseQueries>();
        CaseFilter[] views =
        [
            new(OpenOnly: true),
            new(Status: CaseStatus.Received, Sort: CaseSort.AcknowledgeBy),
            new(MisuseTypeKey: "mass-surveillance", OverdueOnly: true, Sort: CaseSort.FeedbackBy, Page: 3),
        ];
        foreach (var view in views)
            await queries.QueryAsync(bench.ChairId, view);   // warm
        var times = new List<double>();
        var perView = views.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < 30; i++)
        {
            for (var v = 0; v < views.Length; v++)
            {
                var sw = Stopwatch.StartNew();
                await queries.QueryAsync(bench.ChairId, views[v]);
                times.Add(sw.Elapsed.TotalMilliseconds);
                perView[v].Add(sw.Elapsed.TotalMilliseconds);
            }
        }
        var p95 = Percentile(times, 0.95);
        return ($"committee queue query, filtered and sorted, {cases:N0} cases ({times.Count} runs)", $"p95 ≤ {goalMs} ms",
            $"p95 {p95:N1} ms, median {Percentile(times, 0.5):N1} ms (p95 per view: {string.Join(" / ", perView.Select(t => Percentile(t, 0.95).ToString("N1", CultureInfo.InvariantCulture)))} ms)",
            p95 <= goalMs ? "met" : "missed");
    }

    public static async Task<(string, string, string, string)> InsightsAsync(Bench bench, int cases)
    {
        var insights = bench.Services.GetRequiredService<InsightsService>();
        var hr = await BenchData.HrAsync(bench.Services);
        var year = ReportPeriod.ForYear(DateTimeOffset.UtcNow.Year - 1);
        await insights.GetReportAsync(hr, year);
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            await insights.GetReportAsync(hr, year);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        var median = Percentile(times, 0.5);
        return ($"insights aggregation, a whole year, {cases:N0} cases", "≤ 300 ms", $"median {median:N0} ms, max {times.Max():N0} ms", median <= 300 ? "met" : "missed");
    }

    /// <summary>Appends entries through the real writer in batches (each batch one transaction), then verifies the whole chain.</summary>
    public static async Task<(string, string, string, string)> AuditVerifyAsync(Bench bench, int entries)
    {
        var contexts = bench.Services.GetRequiredService<IDbContextFactory<EthicsDbContext>>();
        var log = bench.Services.GetRequiredService<AuditLog>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var have = await db.AuditEntries.CountAsync();
            for (var done = have; done < entries; done += 1000)
            {
                await using var batch = await contexts.CreateDbContextAsync();
                var records = Enumerable.Range(done, Math.Min(1000, entries - done))
                    .Select(i => new AuditRecord(AuditActors.Staff(bench.ChairId), "case.viewed", $"case:{i % 5000 + 1}")).ToList();
                await log.SaveChangesAsync(batch, records);
            }
        }
        var verifier = bench.Services.GetRequiredService<AuditVerifier>();
        var sw = Stopwatch.StartNew();
        var result = await verifier.VerifyAsync();
        var seconds = sw.Elapsed.TotalSeconds;
        await using var count = await contexts.CreateDbContextAsync();
        var total = await count.AuditEntries.CountAsync();
        var rate = total / seconds;
        return ($"audit chain verification ({total:N0} entries)", "≥ 100,000 entries/s",
            $"{rate:N0} entries/s ({seconds:N2} s){(result.IsIntact ? "" : ", NOT INTACT")}", rate >= 100_000 && result.IsIntact ? "met" : "missed");
    }

    /// <summary>The portal as a fresh process on the existing large database, until its first reporter page answers.</summary>
    public static async Task<(string, string, string, string)> ColdStartAsync(string folder, int cases)
    {
        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "EthicsPortal.sln")))
            repo = repo.Parent;
        var dll = repo is null ? null : Path.Combine(repo.FullName, "src/EthicsPortal.Web/bin/Release/net10.0/EthicsPortal.Web.dll");
        if (dll is null || !File.Exists(dll))
            return ("cold start to first page", "≤ 3 s", "not measured: run `dotnet build src/EthicsPortal.Web -c Release` first", "open");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning" }.Concat(StorageArguments(folder)))
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (sw.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                try
                {
                    using var page = await probe.GetAsync(new Uri($"http://127.0.0.1:{port}/report"));
                    if (page.StatusCode == HttpStatusCode.OK)
                    {
                        var seconds = sw.Elapsed.TotalSeconds;
                        return ($"cold start to first page, existing database of {cases:N0} cases", "≤ 3 s", $"{seconds:N2} s", seconds <= 3 ? "met" : "missed");
                    }
                }
                catch (HttpRequestException) { /* not listening yet */ }
                catch (TaskCanceledException) { /* a probe timed out */ }
                await Task.Delay(25);
            }
            return ("cold start to first page", "≤ 3 s", "no page within 60 s", "missed");
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}

internal static class SlowCommands
{
    /// <summary>Keeps EF Core's "Executed DbCommand (N ms)" lines when N is at least 20, and every error.</summary>
    public static bool Keep(LogLevel level, string text)
    {
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var ms = open >= 0 ? text.IndexOf("ms)", open, StringComparison.Ordinal) : -1;
        return level >= LogLevel.Error
               || (ms > open && int.TryParse(text.AsSpan(open + 1, ms - open - 1), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var n) && n >= 20);
    }
}
