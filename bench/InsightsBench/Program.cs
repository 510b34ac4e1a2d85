using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using EthicsPortal.Core;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Insights;
using EthicsPortal.Core.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Insights at scale: fills a fresh SQLite file with N cases (default 1,000,000) spread over six years, then times
// the insights report for a month, a quarter and a year.
// Usage: dotnet run -c Release --project bench/InsightsBench -- [N] [folder to keep and reuse the database in] [--sql]
var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var keep = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? Path.GetFullPath(args[1]) : null;
var showSql = args.Contains("--sql");
var folder = keep ?? Path.Combine(Path.GetTempPath(), "ep-bench-insights-" + Guid.NewGuid().ToString("N")[..8]);
var reuse = keep is not null && File.Exists(Path.Combine(folder, "bench.db"));
Directory.CreateDirectory(folder);
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Database:SqlitePath"] = "bench.db",
    ["DataProtection:KeyRingPath"] = "keys",
    ["Audit:HeadFilePath"] = "audit-head.txt",
}).Build();
var services = new ServiceCollection()
    .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(new ConsoleLines())
        .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", showSql ? LogLevel.Information : LogLevel.Warning))
    .AddEthicsCore(configuration, folder).BuildServiceProvider();
try
{
    await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
    var dbPath = Path.Combine(folder, "bench.db");
    if (!reuse)
    {
        var fill = Stopwatch.StartNew();
        await BenchData.FillAsync(services.GetRequiredService<IDbContextFactory<EthicsDbContext>>(), dbPath, total);
        fill.Stop();
        Console.WriteLine($"Filled {total:N0} cases in {fill.Elapsed.TotalSeconds:N1} s ({new FileInfo(dbPath).Length / 1024 / 1024:N0} MB).");
    }
    else
    {
        Console.WriteLine($"Reusing {dbPath} ({new FileInfo(dbPath).Length / 1024 / 1024:N0} MB).");
    }

    var insights = services.GetRequiredService<InsightsService>();
    var hr = await BenchData.HrAsync(services);
    var now = DateTimeOffset.UtcNow;
    var lastYear = now.Year - 1;
    (string Name, ReportPeriod Period)[] cases =
    [
        ("month", ReportPeriod.ForMonth(lastYear, 6)),
        ("quarter", ReportPeriod.ForQuarter(lastYear, 2)),
        ("year", ReportPeriod.ForYear(lastYear)),
        ("year to date", ReportPeriod.Containing(now, PeriodKind.Year)),
    ];
    Console.WriteLine();
    Console.WriteLine("| period | concerns in period | first run (ms) | median of 5 (ms) | max of 5 (ms) | hidden cells |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    foreach (var (name, period) in cases)
    {
        var first = Stopwatch.StartNew();
        var report = (await insights.GetReportAsync(hr, period)).Value ?? throw new InvalidOperationException("no report");
        first.Stop();
        var runs = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            await insights.GetReportAsync(hr, period);
            runs.Add(sw.Elapsed.TotalMilliseconds);
        }
        runs.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} ({report.Period.Label}) | {report.Headline("received").Value.Display} | {first.Elapsed.TotalMilliseconds:N0} | {runs[2]:N0} | {runs[^1]:N0} | {report.Cells.Count(c => c.Suppressed)} |"));
    }
}
finally
{
    await services.DisposeAsync();
    SqliteConnection.ClearAllPools();
    if (keep is null)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}
