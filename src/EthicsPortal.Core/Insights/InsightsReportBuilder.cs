using EthicsPortal.Core.Cases;

namespace EthicsPortal.Core.Insights;

/// <summary>A label for a stored key; keys never reach the screen.</summary>
internal sealed record Labelled<TKey>(TKey Key, string Label);

/// <summary>What the builder needs besides the counts: labels, k, and the clock.</summary>
internal sealed record InsightsLabels(
    IReadOnlyList<Labelled<string>> MisuseTypes,
    IReadOnlyList<Labelled<string>> Products,
    IReadOnlyList<Labelled<int>> Queues);

/// <summary>A median and 90th percentile in seconds, ranked by the database.</summary>
internal sealed record Percentiles(double Median, double P90);

/// <summary>
/// Turns one year's counts into suppressed figures (<see cref="YearGrid"/>), picks the period to show
/// (coarser when the requested one is too small) and composes the <see cref="InsightsReport"/>.
/// </summary>
internal sealed class InsightsReportBuilder
{
    private static readonly CaseStatus[] OpenStatuses =
        [CaseStatus.Received, CaseStatus.Acknowledged, CaseStatus.Triage, CaseStatus.Investigating, CaseStatus.Referred, CaseStatus.Reopened];

    private readonly YearGrid _grid;
    private readonly YearCounts _counts;
    private readonly int _k;
    private readonly List<(string Key, string Label, Series Series)> _types = [];
    private readonly List<(string Key, string Label, Series Series)> _products = [];
    private readonly List<(string Key, string Label, Series Series)> _queues = [];
    private readonly List<(string Key, string Label, Series Series)> _channels = [];
    private readonly List<(string Key, string Label, Series Series)> _statuses = [];
    private readonly List<(string Key, string Label, Series Series)> _outcomes = [];
    private readonly List<(string Key, string Label, Series Series)> _actions = [];
    private readonly Series _received, _open, _closed, _substantiated, _decided, _actionTotal;
    private readonly Series _yes, _no, _answered, _ackMeasured, _feedbackMeasured, _acknowledged;

    public InsightsReportBuilder(int year, YearCounts counts, InsightsLabels labels, int k, bool suppressZeros)
    {
        _grid = new YearGrid(year);
        _counts = counts;
        _k = k;

        AddRows(_types, Known(labels.MisuseTypes, counts.ByType.Keys), key => counts.ByType.GetValueOrDefault(key));
        _received = _grid.AddTotal(_types.Select(t => t.Series).ToList());
        AddSplitRows(_products, Known(labels.Products, counts.ByProduct.Keys), key => counts.ByProduct.GetValueOrDefault(key));
        AddSplitRows(_queues, Known(labels.Queues, counts.ByQueue.Keys, id => $"Queue {id}"), key => counts.ByQueue.GetValueOrDefault(key));
        AddSplitRows(_channels, Enum.GetValues<ReportChannel>().Select(c => new Labelled<ReportChannel>(c, ChannelLabel(c))).ToList(),
            key => counts.ByChannel.GetValueOrDefault(key));
        AddSplitRows(_statuses, Enum.GetValues<CaseStatus>().Select(s => new Labelled<CaseStatus>(s, StatusLabel(s))).ToList(),
            key => counts.ByStatus.GetValueOrDefault(key));

        // Open and closed: the same concerns split by state, tied to the status rows and to the total.
        _open = _grid.AddTotal(_statuses.Where(s => OpenStatuses.Contains(Enum.Parse<CaseStatus>(s.Key))).Select(s => s.Series).ToList());
        _closed = _grid.AddTotal(_statuses.Where(s => YearCounts.ClosedStatuses.Contains(Enum.Parse<CaseStatus>(s.Key))).Select(s => s.Series).ToList());
        _grid.AddSplit(_received, [_open, _closed]);

        foreach (var outcome in Enum.GetValues<CaseOutcome>())
            _outcomes.Add((outcome.ToString(), OutcomeLabel(outcome), _grid.Add(counts.ByOutcome.GetValueOrDefault(outcome) ?? new long[12])));
        // Only when the year has such concerns: a row left off the table is read as zero, so it must be zero.
        if (counts.OutcomeNotRecorded.Any(v => v > 0))
            _outcomes.Add(("NotRecorded", "Not recorded", _grid.Add(counts.OutcomeNotRecorded)));
        _grid.AddSplit(_closed, _outcomes.Select(o => o.Series).ToList());
        _substantiated = _grid.AddTotal([Outcome(CaseOutcome.Substantiated), Outcome(CaseOutcome.PartlySubstantiated)]);
        _decided = _grid.AddTotal([_substantiated, Outcome(CaseOutcome.NotSubstantiated)]);

        foreach (var kind in Enum.GetValues<ActionKind>())
        {
            var (count, cases) = counts.ActionsByKind.GetValueOrDefault(kind, (new long[12], new long[12]));
            _actions.Add((kind.ToString(), ActionLabel(kind), _grid.Add(count, cases)));
        }
        _actionTotal = _grid.Add(Sum(_actions.Select(a => a.Series.Months)), counts.ActionCases);
        _grid.AddSplit(_actionTotal, _actions.Select(a => a.Series).ToList());

        _yes = _grid.Add(counts.CheckInsYes.Count, counts.CheckInsYes.Cases);
        _no = _grid.Add(counts.CheckInsNo.Count, counts.CheckInsNo.Cases);
        _answered = _grid.Add(Sum([counts.CheckInsYes.Count, counts.CheckInsNo.Count]), counts.CheckInCases);
        _grid.AddSplit(_answered, [_yes, _no]);

        _ackMeasured = _grid.Add(counts.AckMeasured);
        _feedbackMeasured = _grid.Add(counts.FeedbackMeasured);
        _acknowledged = _grid.Add(counts.Acknowledged);

        _grid.Suppress(k, suppressZeros);
    }

    /// <summary>The cell engine, for tests that attack it.</summary>
    public CellSuppression Cells => _grid.Cells;

    /// <summary>A month with fewer than k concerns is shown as its quarter, a quarter as its year.</summary>
    public ReportPeriod Resolve(ReportPeriod requested)
    {
        var period = requested;
        while (period.Kind != PeriodKind.Year && _grid.Value(_received, period) < _k)
            period = period.Coarser;
        return period;
    }

    /// <summary>How many acknowledged and closed concerns lie behind the times; null when the times may not be shown.</summary>
    public (long? Acknowledged, long? Closed) TimedCounts(ReportPeriod p)
        => (Showable(_acknowledged, p), Showable(_closed, p));

    private long? Showable(Series s, ReportPeriod p)
        => _grid.IsHidden(s, p) || _grid.Value(s, p) < _k ? null : _grid.Value(s, p);

    public InsightsReport Compose(ReportPeriod requested, ReportPeriod period, DateTimeOffset now, Percentiles? ack, Percentiles? close)
    {
        var notice = period == requested ? null
            : $"{requested.Label} had fewer than {_k} concerns, so the figures are for {period.Label}, which contains it.";
        var tables = new List<InsightTable>
        {
            Split("by-type", "Concerns by type of misuse", "Type of misuse", _types, period, InsightChartKind.Bar),
            Split("by-product", "Concerns by product or service", "Product or service", _products, period, InsightChartKind.Bar),
            Split("by-queue", "Concerns by committee queue", "Queue", _queues, period, InsightChartKind.Bar),
            Split("by-channel", "Concerns by channel", "Channel", _channels, period, InsightChartKind.Donut),
            Split("by-status", "Concerns by current status", "Status", _statuses, period, InsightChartKind.Bar),
            OverTime(period),
            Times(period, ack, close),
            Compliance(period),
            Split("outcomes", "Outcomes of closed concerns", "Outcome", _outcomes,
                period, InsightChartKind.Donut, _closed, "Closed or rejected concerns received in the period."),
            Substantiation(period),
            Split("actions", "Actions taken on closing, by kind", "Action", _actions, period, InsightChartKind.Bar, _actionTotal,
                "Actions recorded when concerns were closed; one concern may lead to several."),
            Retaliation(period),
        };
        var compliance = tables.First(t => t.Key == "compliance");
        var substantiation = tables.First(t => t.Key == "substantiation").Rows[0].Cells;
        var retaliation = tables.First(t => t.Key == "retaliation").Rows[0].Cells;
        var headlines = new List<InsightHeadline>
        {
            new("received", "Concerns received", _grid.Cell(_received, period, _k), period.Label),
            new("compliance-ack", "Acknowledged within 7 days", compliance.Rows[0].Cells[1], $"of {compliance.Rows[0].Cells[0].Display} concerns measured"),
            new("compliance-feedback", "Feedback within 3 months", compliance.Rows[1].Cells[1], $"of {compliance.Rows[1].Cells[0].Display} concerns measured"),
            new("substantiation", "Substantiated in full or in part", substantiation[2], $"of {substantiation[1].Display} decided on the merits"),
            new("retaliation", "Check-ins answered \"treated worse\"", retaliation[3], $"of {retaliation[0].Display} check-ins answered"),
        };
        return new InsightsReport(requested, period, notice, _k, now, headlines, tables);
    }

    private InsightTable Split(string key, string title, string labelHeader, IReadOnlyList<(string Key, string Label, Series Series)> rows,
        ReportPeriod p, InsightChartKind chart, Series? total = null, string? note = null)
        => new(key, title, labelHeader, [key == "actions" ? "Actions" : "Concerns"],
            rows.Select(r => new InsightRow(r.Key, r.Label, [_grid.Cell(r.Series, p, _k)])).ToList(),
            new InsightRow("total", "Total", [_grid.Cell(total ?? _received, p, _k)]),
            new InsightChart(chart, [0]), note);

    private InsightTable OverTime(ReportPeriod p)
    {
        var rows = p.Months.Select(m => new InsightRow(m.Token, m.ShortLabel,
            [_grid.Cell(_received, m, _k), _grid.Cell(_open, m, _k), _grid.Cell(_closed, m, _k)])).ToList();
        var total = rows.Count > 1
            ? new InsightRow("total", "Total", [_grid.Cell(_received, p, _k), _grid.Cell(_open, p, _k), _grid.Cell(_closed, p, _k)])
            : null;
        return new InsightTable("over-time", "Open and closed, by month of receipt", "Month received", ["Received", "Still open", "Closed"],
            rows, total, new InsightChart(InsightChartKind.Line, [0, 1, 2]), "Closed includes concerns rejected as out of scope.");
    }

    private InsightTable Times(ReportPeriod p, Percentiles? ack, Percentiles? close)
    {
        InsightRow Row(string key, string label, Series n, Percentiles? times)
        {
            var count = _grid.Cell(n, p, _k);
            if (_grid.Value(n, p) == 0)
                return new InsightRow(key, label, [count, InsightCell.Empty(), InsightCell.Empty()]);
            return times is null
                ? new InsightRow(key, label, [count, InsightCell.TooFew(_k), InsightCell.TooFew(_k)])
                : new InsightRow(key, label, [count, InsightCell.Days(times.Median), InsightCell.Days(times.P90)]);
        }
        return new InsightTable("times", "Time to acknowledge and to close", "Measure", ["Concerns", "Median", "90th percentile"],
            [Row("acknowledge", "Time to acknowledge", _acknowledged, ack), Row("close", "Time to close", _closed, close)], null, null,
            "From receipt; only concerns acknowledged, or closed, so far.");
    }

    private InsightTable Compliance(ReportPeriod p)
    {
        InsightRow Row(string key, string label, Series measured, long[] inTime)
        {
            var months = p.Months.Select(m => m.Number - 1).ToArray();
            return new InsightRow(key, label, [_grid.Cell(measured, p, _k), Rate(months.Sum(m => inTime[m]), measured, p)]);
        }
        return new InsightTable("compliance", "Directive compliance (EU 2019/1937)", "Measure", ["Concerns measured", "In time"],
            [Row("ack", "Acknowledged within 7 days", _ackMeasured, _counts.AckInTime),
             Row("feedback", "Feedback within 3 months", _feedbackMeasured, _counts.FeedbackInTime)], null, null,
            "Measured: concerns answered, plus those still waiting past their deadline (which count as late).");
    }

    private InsightTable Substantiation(ReportPeriod p)
    {
        var part = _grid.IsHidden(_substantiated, p) ? -1 : _grid.Value(_substantiated, p);
        return new InsightTable("substantiation", "Substantiation rate", "Measure", ["Substantiated in full or in part", "Decided on the merits", "Rate"],
            [new InsightRow("rate", "Closed concerns", [_grid.Cell(_substantiated, p, _k), _grid.Cell(_decided, p, _k), Rate(part, _decided, p)])],
            null, null, "Decided on the merits: substantiated, partly substantiated or not substantiated (out of scope excluded).");
    }

    private InsightTable Retaliation(ReportPeriod p)
    {
        var yes = _grid.IsHidden(_yes, p) ? -1 : _grid.Value(_yes, p);
        return new InsightTable("retaliation", "Retaliation check-ins", "Measure", ["Answered", "Yes", "No", "Share yes"],
            [new InsightRow("check-ins", "Asked whether they were treated worse",
                [_grid.Cell(_answered, p, _k), _grid.Cell(_yes, p, _k), _grid.Cell(_no, p, _k), Rate(yes, _answered, p)])],
            null, null, "Check-ins 30, 60 and 90 days after a concern was raised.");
    }

    /// <summary>
    /// A percentage is shown only when its denominator is shown (so at least k concerns) and its numerator is
    /// not a hidden count (else the two together would give that count away); <paramref name="part"/> -1 means hidden.
    /// </summary>
    private InsightCell Rate(long part, Series whole, ReportPeriod p)
    {
        var n = _grid.Value(whole, p);
        if (n == 0)
            return InsightCell.Empty();
        if (_grid.IsHidden(whole, p) || n < _k || part < 0)
            return InsightCell.TooFew(_k);
        return InsightCell.Percent(part, n);
    }

    private Series Outcome(CaseOutcome outcome) => _outcomes.First(o => o.Key == outcome.ToString()).Series;

    private void AddRows<TKey>(List<(string, string, Series)> target, IReadOnlyList<Labelled<TKey>> rows, Func<TKey, long[]?> months)
    {
        foreach (var row in rows)
            target.Add((Convert.ToString(row.Key, System.Globalization.CultureInfo.InvariantCulture)!, row.Label, _grid.Add(months(row.Key) ?? new long[12])));
    }

    private void AddSplitRows<TKey>(List<(string, string, Series)> target, IReadOnlyList<Labelled<TKey>> rows, Func<TKey, long[]?> months)
    {
        AddRows(target, rows, months);
        _grid.AddSplit(_received, target.Select(t => t.Item3).ToList());
    }

    /// <summary>The configured rows in their order, then any key found in the data but no longer configured.</summary>
    private static List<Labelled<TKey>> Known<TKey>(IReadOnlyList<Labelled<TKey>> configured, IEnumerable<TKey> found, Func<TKey, string>? label = null)
        where TKey : notnull
        => [.. configured, .. found.Where(k => !configured.Any(c => EqualityComparer<TKey>.Default.Equals(c.Key, k))).Order()
            .Select(k => new Labelled<TKey>(k, label?.Invoke(k) ?? $"{k} (no longer offered)"))];

    private static long[] Sum(IEnumerable<long[]> series)
    {
        var total = new long[12];
        foreach (var months in series)
        {
            for (var m = 0; m < 12; m++)
                total[m] += months[m];
        }
        return total;
    }

    public static string ChannelLabel(ReportChannel channel) => channel switch
    {
        ReportChannel.WebAnonymous => "Web form, anonymous",
        ReportChannel.WebConfidential => "Web form, confidential",
        ReportChannel.Operator => "Operator (taken down by a handler)",
        _ => channel.ToString(),
    };

    public static string StatusLabel(CaseStatus status) => status switch
    {
        CaseStatus.Triage => "In triage",
        CaseStatus.Investigating => "Under investigation",
        CaseStatus.Rejected => "Rejected (out of scope)",
        _ => status.ToString(),
    };

    public static string OutcomeLabel(CaseOutcome outcome) => outcome switch
    {
        CaseOutcome.PartlySubstantiated => "Partly substantiated",
        CaseOutcome.NotSubstantiated => "Not substantiated",
        CaseOutcome.OutOfScope => "Out of scope",
        _ => outcome.ToString(),
    };

    public static string ActionLabel(ActionKind kind) => kind switch
    {
        ActionKind.ServicesSuspended => "Services suspended",
        ActionKind.ServicesTerminated => "Services terminated",
        ActionKind.ContractReview => "Contract review",
        ActionKind.PolicyChange => "Policy change",
        ActionKind.ReferredToAuthorities => "Referred to authorities",
        _ => "Other",
    };
}
