using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Intake;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.Insights;

/// <summary>
/// Aggregated figures for HR, Legal, the Chair and Admins: counts grouped in the database, small cells hidden,
/// never a case, a text or a name. The role check lives here as well as on the page.
/// </summary>
public sealed class InsightsService(
    IDbContextFactory<EthicsDbContext> contexts,
    IOptions<InsightsOptions> options,
    IntakeService intake,
    AuditLog audit,
    TimeProvider time)
{
    public const string ExportAction = "insights.exported";
    public static readonly IReadOnlyList<string> ExportFormats = ["csv", "print"];
    public static readonly IReadOnlyList<string> AllowedRoles = [Roles.HR, Roles.Legal, Roles.Chair, Roles.Admin];

    /// <summary>Whether this user holds an insights role now, read from the database (never from what a caller says).</summary>
    private async Task<bool> MayViewAsync(string? actorId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(actorId))
            return false;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await (from ur in db.UserRoles
                      join r in db.Roles on ur.RoleId equals r.Id
                      where ur.UserId == actorId && AllowedRoles.Contains(r.Name!)
                      select ur).AnyAsync(ct);
    }

    /// <summary>The default period: the current year so far.</summary>
    public ReportPeriod DefaultPeriod => ReportPeriod.Containing(time.GetUtcNow(), PeriodKind.Year);

    public async Task<Result<InsightsReport>> GetReportAsync(string actorId, ReportPeriod period, CancellationToken ct = default)
        => await MayViewAsync(actorId, ct) ? await GetReportCoreAsync(period, ct) : Forbidden();

    /// <summary>The periods of a kind that can be chosen, newest first: from the first concern's month to now.</summary>
    public async Task<Result<IReadOnlyList<ReportPeriod>>> ListPeriodsAsync(string actorId, PeriodKind kind, CancellationToken ct = default)
    {
        if (!await MayViewAsync(actorId, ct))
            return Forbidden();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = ReportPeriod.Containing(time.GetUtcNow(), PeriodKind.Month);
        var first = await db.Cases.Where(c => c.ReceivedMonth > 0).MinAsync(c => (int?)c.ReceivedMonth, ct) ?? now.FirstMonth;   // 0: waiting for screening
        var periods = new List<ReportPeriod>();
        for (var year = now.Year; year >= Math.Max(2000, first / 100); year--)
        {
            var candidates = kind switch
            {
                PeriodKind.Month => Enumerable.Range(1, 12).Reverse().Select(m => ReportPeriod.ForMonth(year, m)),
                PeriodKind.Quarter => Enumerable.Range(1, 4).Reverse().Select(q => ReportPeriod.ForQuarter(year, q)),
                _ => [ReportPeriod.ForYear(year)],
            };
            periods.AddRange(candidates.Where(p => p.FirstMonth <= now.FirstMonth && p.LastMonth >= first));
        }
        return periods;
    }

    /// <summary>
    /// Records that a report left the screen (CSV or print). The entry names the period and nothing else:
    /// no figure goes into the audit chain.
    /// </summary>
    public async Task<Result> RecordExportAsync(string actorId, InsightsReport report, string format, CancellationToken ct = default)
    {
        if (!await MayViewAsync(actorId, ct))
            return Forbidden();
        var userId = actorId;
        if (!ExportFormats.Contains(format, StringComparer.Ordinal))
            return Error.Validation("Choose CSV or print.");
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(userId), ExportAction, $"insights:{format}", $"period={report.Period.Token}"), ct);
        return Result.Ok();
    }

    private async Task<Result<InsightsReport>> GetReportCoreAsync(ReportPeriod requested, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (requested.FirstMonth > Case.MonthOf(now))
            return Error.Validation("That period has not begun yet.");
        var o = options.Value;
        // The times are ranked while the counts load: for the requested period, which is nearly always the one shown.
        var timesForRequested = TimesAsync(requested, ct);
        var builder = await BuildAsync(requested.Year, now, o, ct);
        var period = builder.Resolve(requested);
        var (ackShown, closeShown) = builder.TimedCounts(period);
        var times = await timesForRequested;
        if (period != requested && (ackShown is not null || closeShown is not null))
            times = await TimesAsync(period, ct);
        // Small counts stay hidden: a median of three concerns would describe three people.
        var ack = ackShown is null ? null : times.Acknowledge?.Value;
        var close = closeShown is null ? null : times.Close?.Value;
        return builder.Compose(requested, period, now, ack, close);
    }

    internal async Task<InsightsReportBuilder> BuildAsync(int year, DateTimeOffset now, InsightsOptions o, CancellationToken ct)
    {
        var counts = await YearCounts.LoadAsync(contexts, year, now, ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var queues = await db.Queues.OrderBy(q => q.Id).Select(q => new Labelled<int>(q.Id, q.Name)).ToListAsync(ct);
        var labels = new InsightsLabels(
            intake.MisuseTypes.Select(m => new Labelled<string>(m.Key, m.Label)).ToList(),
            intake.Products.Select(p => new Labelled<string>(p.Key, p.Label)).ToList(),
            queues);
        return new InsightsReportBuilder(year, counts, labels, o.K, o.SuppressZeros);
    }

    internal enum Measure { Acknowledge, Close }

    internal sealed record Ranked(Percentiles Value);

    private async Task<(Ranked? Acknowledge, Ranked? Close)> TimesAsync(ReportPeriod period, CancellationToken ct)
    {
        var ack = Task.Run(() => PercentilesAsync(Measure.Acknowledge, period, ct), ct);
        var close = Task.Run(() => PercentilesAsync(Measure.Close, period, ct), ct);
        return (await ack, await close);
    }

    /// <summary>
    /// The database ranks: the k-th time is ORDER BY … LIMIT OFFSET k, so no list of times is ever loaded. The median of
    /// an even count is the mean of the two middle values; the 90th percentile is the nearest rank, ceil(0.9 n).
    /// </summary>
    internal async Task<Ranked?> PercentilesAsync(Measure measure, ReportPeriod period, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var n = await Times<long>(db, measure, period, "COUNT(*) AS \"Value\"", "").SingleAsync(ct);
        if (n == 0)
            return null;
        Func<long, Task<long?>> at = IsWide(period) ? await BucketedRanksAsync(db, measure, period, ct) : r => SortedRankAsync(db, measure, period, r, ct);
        var low = await at((n - 1) / 2);
        var high = n % 2 == 0 ? await at(n / 2) : low;
        var p90 = await at((n * 9 + 9) / 10 - 1);
        return low is null || high is null || p90 is null ? null : new Ranked(new Percentiles((low.Value + high.Value) / 2.0, p90.Value));
    }

    /// <summary>A month or a quarter: read from IX_Cases_Insights (a few thousand values) and sorted.</summary>
    private static async Task<long?> SortedRankAsync(EthicsDbContext db, Measure measure, ReportPeriod period, long rank, CancellationToken ct)
    {
        var values = await Times<long>(db, measure, period, Column(measure) + " AS \"Value\"", " ORDER BY 1 LIMIT 1 OFFSET {2}", rank).ToListAsync(ct);
        return values.Count == 0 ? null : values[0];
    }

    /// <summary>
    /// Longer periods: sorting a year's values (or walking the whole time-ordered index, which grows with every closed
    /// case of every year) costs more than two short steps. First one pass over the period's rows in IX_Cases_Insights
    /// counts the values per 15-minute bucket; the bucket that holds a rank then comes from the running total, and the
    /// exact value is the rank within that bucket, read from IX_Cases_SecondsTo… over that narrow range of times only
    /// (the unary plus keeps the planner, SQLite and PostgreSQL alike, on the time index rather than the month range).
    /// </summary>
    private static async Task<Func<long, Task<long?>>> BucketedRanksAsync(EthicsDbContext db, Measure measure, ReportPeriod period, CancellationToken ct)
    {
        const long width = 900;
        var column = Column(measure);
        var buckets = await Times<BucketCount>(db, measure, period, $"{column} / {width} AS \"Bucket\", COUNT(*) AS \"Count\"", " GROUP BY 1 ORDER BY 1")
            .ToListAsync(ct);
        return async rank =>
        {
            long before = 0;
            foreach (var bucket in buckets)
            {
                if (rank < before + bucket.Count)
                {
                    var sql = $"SELECT {column} AS \"Value\" FROM \"Cases\" WHERE {column} >= {{0}} AND {column} < {{1}} AND +\"ReceivedMonth\" >= {{2}} "
                              + $"AND +\"ReceivedMonth\" <= {{3}}{StatusFilter(measure)} ORDER BY 1 LIMIT 1 OFFSET {{4}}";
                    var values = await db.Database.SqlQueryRaw<long>(sql, bucket.Bucket * width, (bucket.Bucket + 1) * width, period.FirstMonth, period.LastMonth, rank - before).ToListAsync(ct);
                    return values.Count == 0 ? null : values[0];
                }
                before += bucket.Count;
            }
            return null;
        };
    }

    private static bool IsWide(ReportPeriod period) => period.LastMonth - period.FirstMonth >= 3 || period.LastMonth / 100 != period.FirstMonth / 100;

    private static string Column(Measure measure) => measure == Measure.Acknowledge ? "\"SecondsToAcknowledge\"" : "\"SecondsToClose\"";

    private static string StatusFilter(Measure measure) => measure == Measure.Close ? " AND \"Status\" IN ('Closed', 'Rejected')" : "";

    /// <summary>One period's times (counted, listed or bucketed) from the month range of IX_Cases_Insights. Column names
    /// are fixed text; every value is a parameter. <paramref name="select"/> names its columns as <typeparamref name="T"/> reads them.</summary>
    private static IQueryable<T> Times<T>(EthicsDbContext db, Measure measure, ReportPeriod period, string select, string tail, long offset = 0)
    {
        var sql = "SELECT " + select
                  + " FROM \"Cases\" WHERE \"ReceivedMonth\" >= {0} AND \"ReceivedMonth\" <= {1} AND " + Column(measure) + " IS NOT NULL"
                  + StatusFilter(measure) + tail;
        return db.Database.SqlQueryRaw<T>(sql, period.FirstMonth, period.LastMonth, offset);
    }

    private sealed class BucketCount
    {
        public long Bucket { get; set; }
        public long Count { get; set; }
    }

    private static Error Forbidden() => Error.Forbidden("Insights are for HR, Legal, the Chair and Admins.");
}
