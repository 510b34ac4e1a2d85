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
        await using var db = await contexts.CreateDbContextAsync(ct);
        var builder = await BuildAsync(db, requested.Year, now, o, ct);
        var period = builder.Resolve(requested);
        var (acknowledged, closed) = builder.TimedCounts(period);
        var ack = acknowledged is { } n1
            ? await PercentilesAsync(db.Cases.Where(c => c.ReceivedMonth >= period.FirstMonth && c.ReceivedMonth <= period.LastMonth && c.SecondsToAcknowledge != null)
                .OrderBy(c => c.SecondsToAcknowledge).Select(c => c.SecondsToAcknowledge!.Value), n1, ct)
            : null;
        var close = closed is { } n2
            ? await PercentilesAsync(db.Cases.Where(c => c.ReceivedMonth >= period.FirstMonth && c.ReceivedMonth <= period.LastMonth
                    && (c.Status == CaseStatus.Closed || c.Status == CaseStatus.Rejected) && c.SecondsToClose != null)
                .OrderBy(c => c.SecondsToClose).Select(c => c.SecondsToClose!.Value), n2, ct)
            : null;
        return builder.Compose(requested, period, now, ack, close);
    }

    internal async Task<InsightsReportBuilder> BuildAsync(EthicsDbContext db, int year, DateTimeOffset now, InsightsOptions o, CancellationToken ct)
    {
        var counts = await YearCounts.LoadAsync(db, year, now, ct);
        var queues = await db.Queues.OrderBy(q => q.Id).Select(q => new Labelled<int>(q.Id, q.Name)).ToListAsync(ct);
        var labels = new InsightsLabels(
            intake.MisuseTypes.Select(m => new Labelled<string>(m.Key, m.Label)).ToList(),
            intake.Products.Select(p => new Labelled<string>(p.Key, p.Label)).ToList(),
            queues);
        return new InsightsReportBuilder(year, counts, labels, o.K, o.SuppressZeros);
    }

    /// <summary>
    /// The database ranks: the k-th value is ORDER BY … LIMIT 1 OFFSET k, so no list of times is ever loaded.
    /// Median of an even count is the mean of the two middle values; the 90th percentile is the nearest rank.
    /// </summary>
    private static async Task<Percentiles?> PercentilesAsync(IQueryable<long> ordered, long n, CancellationToken ct)
    {
        var middle = await ordered.Skip((int)((n - 1) / 2)).Take(n % 2 == 0 ? 2 : 1).ToListAsync(ct);
        var p90Rank = (int)Math.Ceiling(0.9 * n) - 1;
        var p90 = await ordered.Skip(p90Rank).Take(1).ToListAsync(ct);
        if (middle.Count == 0 || p90.Count == 0)
            return null;
        return new Percentiles(middle.Average(), p90[0]);
    }

    private static Error Forbidden() => Error.Forbidden("Insights are for HR, Legal, the Chair and Admins.");
}
