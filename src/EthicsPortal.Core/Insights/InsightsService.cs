using System.Security.Claims;
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

    public static bool MayView(ClaimsPrincipal? user) => user?.Identity?.IsAuthenticated == true && AllowedRoles.Any(user.IsInRole);

    public static bool MayView(IEnumerable<string> roles) => roles.Any(r => AllowedRoles.Contains(r, StringComparer.Ordinal));

    /// <summary>The default period: the current year so far.</summary>
    public ReportPeriod DefaultPeriod => ReportPeriod.Containing(time.GetUtcNow(), PeriodKind.Year);

    public Task<Result<InsightsReport>> GetReportAsync(ClaimsPrincipal user, ReportPeriod period, CancellationToken ct = default)
        => MayView(user) ? GetReportCoreAsync(period, ct) : Task.FromResult<Result<InsightsReport>>(Forbidden());

    public Task<Result<InsightsReport>> GetReportAsync(IEnumerable<string> roles, ReportPeriod period, CancellationToken ct = default)
        => MayView(roles) ? GetReportCoreAsync(period, ct) : Task.FromResult<Result<InsightsReport>>(Forbidden());

    /// <summary>The periods of a kind that can be chosen, newest first: from the first concern's month to now.</summary>
    public async Task<Result<IReadOnlyList<ReportPeriod>>> ListPeriodsAsync(ClaimsPrincipal user, PeriodKind kind, CancellationToken ct = default)
    {
        if (!MayView(user))
            return Forbidden();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = ReportPeriod.Containing(time.GetUtcNow(), PeriodKind.Month);
        var first = await db.Cases.MinAsync(c => (int?)c.ReceivedMonth, ct) ?? now.FirstMonth;
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
    public async Task<Result> RecordExportAsync(ClaimsPrincipal user, InsightsReport report, string format, CancellationToken ct = default)
    {
        if (!MayView(user))
            return Forbidden();
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(userId))
            return Forbidden();
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

    private enum Measure { Acknowledge, Close }

    private sealed record Ranked(Percentiles Value);

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
    private async Task<Ranked?> PercentilesAsync(Measure measure, ReportPeriod period, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var n = await TimesOf(db, measure, period, 0, 0, count: true).SingleAsync(ct);
        if (n == 0)
            return null;
        var middle = await TimesOf(db, measure, period, (n - 1) / 2, n % 2 == 0 ? 2 : 1).ToListAsync(ct);
        var p90 = await TimesOf(db, measure, period, (n * 9 + 9) / 10 - 1, 1).ToListAsync(ct);
        return middle.Count == 0 || p90.Count == 0 ? null : new Ranked(new Percentiles(middle.Average(), p90[0]));
    }

    /// <summary>
    /// One period's times in order, or their count. A month or quarter is read from IX_Cases_Insights and sorted (a few
    /// thousand values). Across more months, sorting a year's values costs more than walking the time-ordered index
    /// (IX_Cases_SecondsToAcknowledge / …Close) and skipping other months; the unary plus keeps the planner (SQLite and
    /// PostgreSQL alike) from choosing the month range instead. Column names are fixed text; every value is a parameter.
    /// </summary>
    private static IQueryable<long> TimesOf(EthicsDbContext db, Measure measure, ReportPeriod period, long offset, int take, bool count = false)
    {
        int first = period.FirstMonth, last = period.LastMonth;
        var wide = last - first >= 3 || last / 100 != first / 100;
        var column = measure == Measure.Acknowledge ? "\"SecondsToAcknowledge\"" : "\"SecondsToClose\"";
        var month = wide && !count ? "+\"ReceivedMonth\"" : "\"ReceivedMonth\"";   // a count always uses the month range
        var sql = "SELECT " + (count ? "COUNT(*)" : column) + " AS \"Value\" FROM \"Cases\" WHERE "
                  + month + " >= {0} AND " + month + " <= {1} AND " + column + " IS NOT NULL"
                  + (measure == Measure.Close ? " AND \"Status\" IN ('Closed', 'Rejected')" : "")
                  + (count ? "" : " ORDER BY 1 LIMIT {2} OFFSET {3}");
        return db.Database.SqlQueryRaw<long>(sql, first, last, (long)take, offset);
    }

    private static Error Forbidden() => Error.Forbidden("Insights are for HR, Legal, the Chair and Admins.");
}
