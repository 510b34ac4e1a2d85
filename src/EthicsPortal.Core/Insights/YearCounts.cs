using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Insights;

/// <summary>
/// The monthly counts of one year, each grouped in the database (GROUP BY the month of receipt and one
/// column) over the statistics columns of <see cref="Case"/>; only a few hundred numbers come back, however
/// many cases there are. Dates are never computed in SQL: months and seconds are plain columns.
/// </summary>
internal sealed class YearCounts
{
    public Dictionary<string, long[]> ByType { get; } = [];
    public Dictionary<string, long[]> ByProduct { get; } = [];
    public Dictionary<int, long[]> ByQueue { get; } = [];
    public Dictionary<ReportChannel, long[]> ByChannel { get; } = [];
    public Dictionary<CaseStatus, long[]> ByStatus { get; } = [];
    public Dictionary<CaseOutcome, long[]> ByOutcome { get; } = [];

    /// <summary>Closed or rejected concerns with no recorded outcome (older data); kept so the outcome split adds up.</summary>
    public long[] OutcomeNotRecorded { get; } = new long[12];
    public Dictionary<ActionKind, (long[] Count, long[] Cases)> ActionsByKind { get; } = [];

    /// <summary>Directive compliance: an acknowledgement still missing after its deadline counts as late; so does missing feedback.</summary>
    public long[] AckMeasured { get; } = new long[12];
    public long[] AckInTime { get; } = new long[12];
    public long[] FeedbackMeasured { get; } = new long[12];
    public long[] FeedbackInTime { get; } = new long[12];
    public long[] Acknowledged { get; } = new long[12];

    /// <summary>Distinct concerns with any action, and with any check-in answered: the people behind those totals.</summary>
    public long[] ActionCases { get; } = new long[12];
    public long[] CheckInCases { get; } = new long[12];
    public (long[] Count, long[] Cases) CheckInsYes { get; } = (new long[12], new long[12]);
    public (long[] Count, long[] Cases) CheckInsNo { get; } = (new long[12], new long[12]);

    public static readonly CaseStatus[] ClosedStatuses = [CaseStatus.Closed, CaseStatus.Rejected];

    /// <summary>
    /// Two groups of queries run at once, each on its own connection (SQLite in WAL mode and PostgreSQL both serve
    /// concurrent readers); they fill separate members, so no locking is needed.
    /// </summary>
    public static async Task<YearCounts> LoadAsync(IDbContextFactory<EthicsDbContext> contexts, int year, DateTimeOffset now, CancellationToken ct)
    {
        var counts = new YearCounts();
        await Task.WhenAll(
            Task.Run(() => counts.LoadCaseColumnsAsync(contexts, year, now, ct), ct),
            Task.Run(() => counts.LoadFollowUpsAsync(contexts, year, ct), ct));
        return counts;
    }

    private static IQueryable<Case> CasesOf(EthicsDbContext db, int year)
    {
        var lo = year * 100 + 1;
        var hi = year * 100 + 12;
        return db.Cases.Where(c => c.ReceivedMonth >= lo && c.ReceivedMonth <= hi);
    }

    /// <summary>The splits by type, product, queue, channel, status and outcome, and the Directive figures.</summary>
    private async Task LoadCaseColumnsAsync(IDbContextFactory<EthicsDbContext> contexts, int year, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var counts = this;
        var cases = CasesOf(db, year);

        // The four splits in one pass over IX_Cases_Dimensions: a few thousand combinations come back, summed per split here.
        foreach (var row in await cases.GroupBy(c => new { c.ReceivedMonth, c.MisuseTypeKey, c.ProductKey, c.QueueId, c.Channel })
                     .Select(g => new { g.Key.ReceivedMonth, g.Key.MisuseTypeKey, g.Key.ProductKey, g.Key.QueueId, g.Key.Channel, Count = g.Count() })
                     .ToListAsync(ct))
        {
            var m = row.ReceivedMonth % 100 - 1;
            Months(counts.ByType, row.MisuseTypeKey)[m] += row.Count;
            Months(counts.ByProduct, row.ProductKey)[m] += row.Count;
            Months(counts.ByQueue, row.QueueId)[m] += row.Count;
            Months(counts.ByChannel, row.Channel)[m] += row.Count;
        }

        // Status, outcome and the Directive figures in one pass over the year's rows (read from IX_Cases_Insights alone).
        foreach (var row in await cases.GroupBy(c => new { c.ReceivedMonth, c.Status, c.Outcome }).Select(g => new
                     {
                         g.Key.ReceivedMonth,
                         g.Key.Status,
                         g.Key.Outcome,
                         Count = g.Count(),
                         AckMeasured = g.Count(c => c.AcknowledgedInTime != null || (c.Status == CaseStatus.Received && c.AcknowledgeBy < now)),
                         AckInTime = g.Count(c => c.AcknowledgedInTime == true),
                         FeedbackMeasured = g.Count(c => c.FeedbackInTime != null || (c.FirstFeedbackAt == null && c.FeedbackBy < now)),
                         FeedbackInTime = g.Count(c => c.FeedbackInTime == true),
                         Acknowledged = g.Count(c => c.SecondsToAcknowledge != null),
                     }).ToListAsync(ct))
        {
            var m = row.ReceivedMonth % 100 - 1;
            Months(counts.ByStatus, row.Status)[m] += row.Count;
            if (ClosedStatuses.Contains(row.Status))
                (row.Outcome is { } outcome ? Months(counts.ByOutcome, outcome) : counts.OutcomeNotRecorded)[m] += row.Count;
            counts.AckMeasured[m] += row.AckMeasured;
            counts.AckInTime[m] += row.AckInTime;
            counts.FeedbackMeasured[m] += row.FeedbackMeasured;
            counts.FeedbackInTime[m] += row.FeedbackInTime;
            counts.Acknowledged[m] += row.Acknowledged;
        }

    }

    /// <summary>Actions taken and retaliation check-ins: rows of other tables that carry their concern's month.</summary>
    private async Task LoadFollowUpsAsync(IDbContextFactory<EthicsDbContext> contexts, int year, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var counts = this;

        // Actions follow a decision: those of concerns that stand closed (a reopened case's actions no longer stand),
        // counted from IX_CaseActions_Standing_ReceivedMonth_Kind_CaseId alone: no join to the year's concerns.
        var standing = db.CaseActions.Where(a => a.Standing && a.ReceivedMonth >= year * 100 + 1 && a.ReceivedMonth <= year * 100 + 12);
        foreach (var row in await standing.GroupBy(a => new { a.ReceivedMonth, a.Kind })
                     .Select(g => new { g.Key.ReceivedMonth, g.Key.Kind, Count = g.Count(), Cases = g.Select(x => x.CaseId).Distinct().Count() })
                     .ToListAsync(ct))
        {
            if (!counts.ActionsByKind.TryGetValue(row.Kind, out var pair))
                counts.ActionsByKind[row.Kind] = pair = (new long[12], new long[12]);
            pair.Count[row.ReceivedMonth % 100 - 1] = row.Count;
            pair.Cases[row.ReceivedMonth % 100 - 1] = row.Cases;
        }

        foreach (var row in await standing.GroupBy(a => a.ReceivedMonth)
                     .Select(g => new { Month = g.Key, Cases = g.Select(x => x.CaseId).Distinct().Count() }).ToListAsync(ct))
            counts.ActionCases[row.Month % 100 - 1] = row.Cases;

        var lo = year * 100 + 1;
        var hi = year * 100 + 12;
        var checkIns = db.RetaliationCheckIns.Where(x => x.ReceivedMonth >= lo && x.ReceivedMonth <= hi);
        foreach (var row in await checkIns.GroupBy(x => x.ReceivedMonth)
                     .Select(g => new { Month = g.Key, Cases = g.Select(y => y.CaseId).Distinct().Count() }).ToListAsync(ct))
            counts.CheckInCases[row.Month % 100 - 1] = row.Cases;

        foreach (var row in await checkIns.GroupBy(x => new { x.ReceivedMonth, x.TreatedWorse })
                     .Select(g => new { g.Key.ReceivedMonth, g.Key.TreatedWorse, Count = g.Count(), Cases = g.Select(y => y.CaseId).Distinct().Count() })
                     .ToListAsync(ct))
        {
            var pair = row.TreatedWorse ? counts.CheckInsYes : counts.CheckInsNo;
            pair.Count[row.ReceivedMonth % 100 - 1] = row.Count;
            pair.Cases[row.ReceivedMonth % 100 - 1] = row.Cases;
        }
    }

    private static long[] Months<TKey>(Dictionary<TKey, long[]> map, TKey key) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var months))
            map[key] = months = new long[12];
        return months;
    }
}
