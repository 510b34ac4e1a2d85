using System.Collections.Concurrent;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Insights;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EthicsPortal.Core.Tests.Insights;

/// <summary>The insights service over a real SQLite file, with cases made through the aggregate's transitions.</summary>
public class InsightsServiceTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ConcurrentQueue<string> _sql = new();
    private TestDatabase _db = default!;
    private int _queue;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(services => services.AddLogging(b => b
            .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information)
            .AddProvider(new SqlCapture(_sql))));
        _db.Time.SetUtcNow(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        await using var db = await _db.ContextAsync();
        _queue = await InsightsSeed.DefaultQueueAsync(db);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private InsightsService Service => _db.Get<InsightsService>();

    private async Task SeedAsync(Action<InsightsSeed, int> build)
    {
        var seed = new InsightsSeed();
        build(seed, _queue);
        await using var db = await _db.ContextAsync();
        await seed.SaveAsync(db);
    }

    private async Task<InsightsReport> ReportAsync(string period, string role = Roles.HR)
    {
        Assert.True(ReportPeriod.TryParse(period, out var p));
        var result = await Service.GetReportAsync(await InsightsSeed.UserAsync(_db, role), p, Ct);
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value!;
    }

    [Theory]
    [InlineData(Roles.HR)]
    [InlineData(Roles.Legal)]
    [InlineData(Roles.Chair)]
    [InlineData(Roles.Admin)]
    public async Task GetReport_InsightsRole_Succeeds(string role)
    {
        var result = await Service.GetReportAsync(await InsightsSeed.UserAsync(_db, role), ReportPeriod.ForYear(2026), Ct);

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData(Roles.Handler)]
    [InlineData(Roles.Employee)]
    public async Task GetReport_OtherRole_IsForbidden(string role)
    {
        var user = await InsightsSeed.UserAsync(_db, role);
        var report = await Service.GetReportAsync(user, ReportPeriod.ForYear(2026), Ct);
        var periods = await Service.ListPeriodsAsync(user, PeriodKind.Month, Ct);

        Assert.Equal(ErrorKind.Forbidden, report.Error?.Kind);
        Assert.Equal(ErrorKind.Forbidden, periods.Error?.Kind);
    }

    [Fact]
    public async Task GetReport_NotSignedIn_IsForbidden()
    {
        var result = await Service.GetReportAsync("", ReportPeriod.ForYear(2026), Ct);
        var unknown = await Service.GetReportAsync("no-such-user", ReportPeriod.ForYear(2026), Ct);
        Assert.Equal(ErrorKind.Forbidden, unknown.Error?.Kind);

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
    }

    [Fact]
    public async Task GetReport_CountsByType_AreLabelledAndSmallOnesHiddenWithAComplement()
    {
        await SeedAsync((s, q) =>
        {
            for (var i = 0; i < 8; i++) s.Receive(InsightsSeed.At(2026, 3, 2 + i), "mass-surveillance", queueId: q);
            for (var i = 0; i < 6; i++) s.Receive(InsightsSeed.At(2026, 3, 2 + i), "privacy-breach", "ai-services", queueId: q);
            for (var i = 0; i < 2; i++) s.Receive(InsightsSeed.At(2026, 3, 2 + i), "export-control", "compute", queueId: q);
        });

        var report = await ReportAsync("2026-03");
        var byType = report.Table("by-type");
        string Shown(string key) => byType.Rows.Single(r => r.Key == key).Cells[0].Display;

        Assert.Equal(ReportPeriod.ForMonth(2026, 3), report.Period);
        Assert.Null(report.Notice);
        Assert.Equal("Mass surveillance of civilians", byType.Rows[0].Label);
        Assert.Equal("8", Shown("mass-surveillance"));
        Assert.Equal("6", Shown("privacy-breach"));
        Assert.Equal("<5", Shown("export-control"));
        Assert.Equal("16", byType.Total!.Cells[0].Display);
        // 16 - 8 - 6 - zeros would give the 2 away: another cell in the column is hidden too.
        Assert.True(byType.Rows.Count(r => r.Cells[0].Suppressed) >= 2);
        Assert.All(report.Cells.Where(c => c.Suppressed), c => Assert.Null(c.Value));
    }

    [Fact]
    public async Task GetReport_MonthWithFewerThanK_IsShownAsItsQuarterAndSaysSo()
    {
        await SeedAsync((s, q) =>
        {
            for (var i = 0; i < 3; i++) s.Receive(InsightsSeed.At(2026, 2, 3 + i), queueId: q);
            for (var i = 0; i < 9; i++) s.Receive(InsightsSeed.At(2026, 3, 3 + i), queueId: q);
        });

        var february = await ReportAsync("2026-02");
        var march = await ReportAsync("2026-03");

        Assert.Equal(ReportPeriod.ForQuarter(2026, 1), february.Period);
        Assert.Contains("February 2026 had fewer than 5 concerns", february.Notice, StringComparison.Ordinal);
        Assert.Contains("Q1 2026", february.Notice, StringComparison.Ordinal);
        Assert.Equal(ReportPeriod.ForMonth(2026, 3), march.Period);
        Assert.Equal(["2026-01", "2026-02", "2026-03"], february.Table("over-time").Rows.Select(r => r.Key));
    }

    [Fact]
    public async Task GetReport_QuarterWithFewerThanK_IsShownAsTheYear()
    {
        await SeedAsync((s, q) =>
        {
            s.Receive(InsightsSeed.At(2026, 1, 5), queueId: q);
            for (var i = 0; i < 9; i++) s.Receive(InsightsSeed.At(2026, 7, 3 + i), queueId: q);
        });

        var report = await ReportAsync("2026-01");

        Assert.Equal(ReportPeriod.ForYear(2026), report.Period);
        Assert.Equal(12, report.Table("over-time").Rows.Count);
    }

    [Fact]
    public async Task GetReport_Times_AreRankedMedianAndNinetiethPercentile()
    {
        // Acknowledged after 1..10 days; closed after 10..100 days (10 concerns in May).
        await SeedAsync((s, q) =>
        {
            for (var i = 1; i <= 10; i++)
            {
                var c = InsightsSeed.Acknowledge(s.Receive(InsightsSeed.At(2026, 5, i), queueId: q), TimeSpan.FromDays(i));
                InsightsSeed.Close(c, TimeSpan.FromDays(10 * i));
            }
        });

        var times = (await ReportAsync("2026-05")).Table("times");

        Assert.Equal(["10", "5.5 days", "9.0 days"], times.Rows[0].Cells.Select(c => c.Display));
        Assert.Equal(["10", "55.0 days", "90.0 days"], times.Rows[1].Cells.Select(c => c.Display));
    }

    [Theory]
    [InlineData("2026")]      // a long period: counted per 15-minute bucket, then ranked inside one bucket
    [InlineData("2026-Q2")]   // a quarter: sorted, like a month
    [InlineData("2026-05")]   // a month: sorted
    public async Task Percentiles_OfManyTimesSharingBuckets_AreTheExactRanks(string token)
    {
        Assert.True(ReportPeriod.TryParse(token, out var period));
        var random = new Random(20261128);
        var inPeriod = new List<(long Ack, long? Close)>();
        await SeedAsync((s, q) =>
        {
            // December 2025 lies outside every period above; its times must not count.
            foreach (var (year, month) in new[] { (2025, 12) }.Concat(Enumerable.Range(1, 11).Select(m => (2026, m))))
            {
                for (var i = 0; i < 25; i++)
                {
                    var received = InsightsSeed.At(year, month, 1 + random.Next(27), random.Next(24));
                    // A few hours' spread: many values share a bucket, and neighbours in rank are seconds apart.
                    var ack = 3_600 + random.Next(4 * 3_600);
                    var c = InsightsSeed.Acknowledge(s.Receive(received, queueId: q), TimeSpan.FromSeconds(ack));
                    long? close = null;
                    if (i % 5 != 0)   // a fifth stay open: acknowledged, never closed
                    {
                        close = 10 * 86_400 + random.Next(2 * 3_600);
                        if (i % 7 == 0) InsightsSeed.Reject(c, TimeSpan.FromSeconds(close.Value));
                        else InsightsSeed.Close(c, TimeSpan.FromSeconds(close.Value));
                    }
                    if (year * 100 + month >= period.FirstMonth && year * 100 + month <= period.LastMonth)
                        inPeriod.Add((ack, close));
                }
            }
        });

        static Percentiles Expected(IEnumerable<long> values)
        {
            var v = values.Order().ToList();
            return new Percentiles((v[(v.Count - 1) / 2] + v[v.Count / 2]) / 2.0, v[(v.Count * 9 + 9) / 10 - 1]);
        }
        var ack = await Service.PercentilesAsync(InsightsService.Measure.Acknowledge, period, Ct);
        var close = await Service.PercentilesAsync(InsightsService.Measure.Close, period, Ct);

        Assert.Equal(Expected(inPeriod.Select(x => x.Ack)), ack!.Value);
        Assert.Equal(Expected(inPeriod.Where(x => x.Close is not null).Select(x => x.Close!.Value)), close!.Value);
    }

    [Fact]
    public async Task GetReport_TimesFromFewerThanK_AreHidden()
    {
        await SeedAsync((s, q) =>
        {
            for (var i = 1; i <= 8; i++) s.Receive(InsightsSeed.At(2026, 5, i), queueId: q);
            for (var i = 1; i <= 3; i++) InsightsSeed.Close(s.Receive(InsightsSeed.At(2026, 5, 10 + i), queueId: q), TimeSpan.FromDays(20));
        });

        var close = (await ReportAsync("2026-05")).Table("times").Rows[1].Cells;

        Assert.Equal(["<5", "n<5", "n<5"], close.Select(c => c.Display));
        Assert.All(close, c => Assert.True(c.Suppressed));
    }

    [Fact]
    public async Task GetReport_Compliance_CountsLateAndOverdueAsNotInTime()
    {
        await SeedAsync((s, q) =>
        {
            for (var i = 1; i <= 8; i++) InsightsSeed.Acknowledge(s.Receive(InsightsSeed.At(2026, 4, i), queueId: q), TimeSpan.FromDays(2));
            InsightsSeed.Acknowledge(s.Receive(InsightsSeed.At(2026, 4, 20), queueId: q), TimeSpan.FromDays(9));
            s.Receive(InsightsSeed.At(2026, 4, 21), queueId: q);   // never acknowledged: overdue by now
        });

        var report = await ReportAsync("2026-04");

        Assert.Equal("80%", report.Headline("compliance-ack").Value.Display);
        Assert.Equal(["10", "80%"], report.Table("compliance").Rows[0].Cells.Select(c => c.Display));
        // No feedback was sent and all are past three months: none in time.
        Assert.Equal(["10", "0%"], report.Table("compliance").Rows[1].Cells.Select(c => c.Display));
    }

    [Fact]
    public async Task GetReport_OutcomesActionsAndRetaliation_AreCountedAndRated()
    {
        await SeedAsync((s, q) =>
        {
            for (var i = 1; i <= 6; i++)
                InsightsSeed.Close(s.Receive(InsightsSeed.At(2026, 6, i), queueId: q), TimeSpan.FromDays(30), CaseOutcome.Substantiated,
                    ActionKind.ContractReview, ActionKind.PolicyChange);
            for (var i = 1; i <= 6; i++)
                InsightsSeed.Close(s.Receive(InsightsSeed.At(2026, 6, 10 + i), queueId: q), TimeSpan.FromDays(30), CaseOutcome.NotSubstantiated);
            for (var i = 1; i <= 7; i++)
                InsightsSeed.CheckIn(InsightsSeed.CheckIn(s.Receive(InsightsSeed.At(2026, 6, 20 + i), queueId: q), 30, false), 60, i <= 6);
        });

        var report = await ReportAsync("2026-06");
        var substantiation = report.Table("substantiation").Rows[0].Cells;
        var actions = report.Table("actions");
        var retaliation = report.Table("retaliation").Rows[0].Cells;

        Assert.Equal(["6", "12", "50%"], substantiation.Select(c => c.Display));
        Assert.Equal("6", actions.Rows.Single(r => r.Key == nameof(ActionKind.ContractReview)).Cells[0].Display);
        Assert.Equal("Contract review", actions.Rows.Single(r => r.Key == nameof(ActionKind.ContractReview)).Label);
        Assert.Equal("12", actions.Total!.Cells[0].Display);
        Assert.Equal(["14", "6", "8", "43%"], retaliation.Select(c => c.Display));
    }

    [Fact]
    public async Task GetReport_ActionsOfAReopenedCase_NoLongerCount_UntilItClosesAgain()
    {
        var reopened = new List<Case>();
        await SeedAsync((s, q) =>
        {
            for (var i = 1; i <= 8; i++)
            {
                var c = InsightsSeed.Close(s.Receive(InsightsSeed.At(2026, 6, i), queueId: q), TimeSpan.FromDays(30), CaseOutcome.Substantiated,
                    ActionKind.ContractReview);
                if (i <= 2)
                {
                    Assert.True(c.Reopen("staff:c", c.ClosedAt!.Value.AddDays(1), "new evidence").Succeeded);
                    reopened.Add(c);
                }
            }
        });
        Assert.Equal("6", (await ReportAsync("2026-06")).Table("actions").Rows.Single(r => r.Key == nameof(ActionKind.ContractReview)).Cells[0].Display);

        // Closed again with another decision: its new action stands, the old one is gone.
        await using (var db = await _db.ContextAsync())
        {
            var again = await db.Cases.Include(c => c.Actions).SingleAsync(c => c.Id == reopened[0].Id, Ct);
            Assert.True(again.Close("staff:c", again.ClosedAt!.Value.AddDays(5), "decided again", [1], CaseOutcome.Substantiated, null,
                [new CaseAction(ActionKind.ServicesTerminated, ["cloud-storage"])]).Succeeded);
            await db.SaveChangesAsync(Ct);
        }
        Assert.Equal("6", (await ReportAsync("2026-06")).Table("actions").Rows.Single(r => r.Key == nameof(ActionKind.ContractReview)).Cells[0].Display);
        await using var check = await _db.ContextAsync();
        var stored = await check.CaseActions.Where(a => a.CaseId == reopened[0].Id || a.CaseId == reopened[1].Id)
            .Select(a => new { a.CaseId, a.Kind, a.Standing, a.ReceivedMonth }).ToListAsync(Ct);
        Assert.Equal(new { CaseId = reopened[0].Id, Kind = ActionKind.ServicesTerminated, Standing = true, ReceivedMonth = 202606 },
            stored.Single(a => a.CaseId == reopened[0].Id));
        Assert.False(stored.Single(a => a.CaseId == reopened[1].Id).Standing);
    }

    [Fact]
    public async Task GetReport_RetaliationYesFromFewerThanK_HidesTheShareToo()
    {
        await SeedAsync((s, q) =>
        {
            for (var i = 1; i <= 9; i++)
                InsightsSeed.CheckIn(s.Receive(InsightsSeed.At(2026, 6, i), queueId: q), 30, i == 1);
        });

        var retaliation = (await ReportAsync("2026-06")).Table("retaliation").Rows[0].Cells;

        Assert.Equal("<5", retaliation[1].Display);      // one "yes"
        Assert.Equal("<5", retaliation[2].Display);      // its complement
        Assert.True(retaliation[3].Suppressed);          // 1 of 9 would give the yes away
    }

    [Theory]
    [InlineData(6, 12)]
    [InlineData(11, 12)]
    [InlineData(17, 25)]
    [InlineData(23, 6)]
    public async Task GetReport_EveryPeriodOfAYearTogether_NoHiddenFigureCanBeRecovered(int seed, int maxPerMonth)
    {
        // Sparse, uneven data: many small cells in months, enough in quarters, channels and outcomes mixed.
        var random = new Random(seed);
        string[] types = ["mass-surveillance", "human-rights-harm", "military-targeting", "privacy-breach", "export-control"];
        string[] products = ["cloud-storage", "ai-services", "compute", "communications"];
        await SeedAsync((s, q) =>
        {
            for (var month = 1; month <= 10; month++)
            {
                var count = random.Next(0, maxPerMonth);
                for (var i = 0; i < count; i++)
                {
                    var c = s.Receive(InsightsSeed.At(2026, month, 1 + random.Next(27)), types[random.Next(types.Length)],
                        products[random.Next(products.Length)], (ReportChannel)random.Next(3), q);
                    switch (random.Next(5))
                    {
                        case 0: break;
                        case 1: InsightsSeed.Acknowledge(c, TimeSpan.FromDays(random.Next(1, 12))); break;
                        case 2: InsightsSeed.Reject(c, TimeSpan.FromDays(random.Next(1, 5))); break;
                        default:
                            InsightsSeed.Close(c, TimeSpan.FromDays(random.Next(10, 200)), (CaseOutcome)random.Next(3),
                                random.Next(3) == 0 ? [(ActionKind)random.Next(6)] : []);
                            break;
                    }
                    if (random.Next(3) == 0)
                        InsightsSeed.CheckIn(c, 30, random.Next(4) == 0);
                }
            }
        });

        var attack = new RecoveryAttack(5);
        // Every month up to now (November), every quarter and the year: an attacker may ask for any of them.
        var periods = Enumerable.Range(1, 11).Select(m => ReportPeriod.ForMonth(2026, m))
            .Concat(Enumerable.Range(1, 4).Select(q => ReportPeriod.ForQuarter(2026, q))).Append(ReportPeriod.ForYear(2026));
        foreach (var period in periods)
            attack.Read(await ReportAsync(period.Token));
        attack.AddCalendar(2026);

        Assert.Empty(attack.Inconsistencies);
        Assert.True(attack.Hidden > 10, $"the data should have small cells to hide ({attack.Hidden} hidden)");
        Assert.Empty(attack.RecoverBySubtraction());
        Assert.Empty(attack.RecoverByAlgebra());
    }

    [Fact]
    public async Task GetReport_Queries_AreAggregatesAndNeverReadCaseContent()
    {
        await SeedAsync((s, q) =>
        {
            for (var i = 0; i < 12; i++) InsightsSeed.Close(s.Receive(InsightsSeed.At(2026, 3, 1 + i), queueId: q), TimeSpan.FromDays(40));
        });
        _sql.Clear();

        await ReportAsync("2026-03");

        var selects = _sql.Where(s => s.Contains("SELECT", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(selects);
        Assert.All(selects, s => Assert.DoesNotContain("Ciphertext", s, StringComparison.Ordinal));
        Assert.All(selects, s => Assert.DoesNotContain("\"Reference\"", s, StringComparison.Ordinal));
        // Every read of Cases either groups, counts, or takes single ranked values (median / 90th percentile).
        Assert.All(selects.Where(s => s.Contains("\"Cases\"", StringComparison.Ordinal)),
            s => Assert.True(s.Contains("GROUP BY", StringComparison.Ordinal) || s.Contains("LIMIT", StringComparison.Ordinal)
                             || s.Contains("MIN(", StringComparison.Ordinal) || s.Contains("COUNT(", StringComparison.Ordinal), s));
    }

    [Fact]
    public async Task RecordExport_Staff_AppendsAnAuditEntryWithThePeriodOnly()
    {
        await SeedAsync((s, q) => { for (var i = 0; i < 7; i++) s.Receive(InsightsSeed.At(2026, 3, 1 + i), queueId: q); });
        var report = await ReportAsync("2026-Q1");

        var legal = await InsightsSeed.UserAsync(_db, Roles.Legal);
        var result = await Service.RecordExportAsync(legal, report, "csv", Ct);

        Assert.True(result.Succeeded);
        await using var db = await _db.ContextAsync();
        var entry = await db.AuditEntries.OrderByDescending(e => e.Sequence).FirstAsync(Ct);
        Assert.Equal(("insights.exported", $"staff:{legal}", "period=2026-Q1"), (entry.Action, entry.Actor, entry.Details));
    }

    [Fact]
    public async Task RecordExport_Handler_IsForbiddenAndNotAudited()
    {
        var report = await ReportAsync("2026");

        var result = await Service.RecordExportAsync(await InsightsSeed.UserAsync(_db, Roles.Handler), report, "csv", Ct);

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        await using var db = await _db.ContextAsync();
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Action == InsightsService.ExportAction, Ct));
    }

    [Fact]
    public async Task ListPeriods_FromTheFirstConcernToNow_NewestFirst()
    {
        await SeedAsync((s, q) => s.Receive(InsightsSeed.At(2025, 11, 3), queueId: q));

        var quarters = await Service.ListPeriodsAsync(await InsightsSeed.UserAsync(_db, Roles.HR), PeriodKind.Quarter, Ct);

        Assert.Equal(["2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4"], quarters.Value!.Select(p => p.Token));
    }

    [Fact]
    public async Task GetReport_FuturePeriod_IsRefused()
    {
        var result = await Service.GetReportAsync(await InsightsSeed.UserAsync(_db, Roles.HR), ReportPeriod.ForYear(2027), Ct);

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
    }

    private sealed class SqlCapture(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => category == "Microsoft.EntityFrameworkCore.Database.Command";
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                    lines.Enqueue(formatter(state, exception));
            }
        }
    }
}
