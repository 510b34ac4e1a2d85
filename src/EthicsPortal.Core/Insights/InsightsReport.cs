namespace EthicsPortal.Core.Insights;

/// <summary>
/// Everything the insights page shows for one period, already suppressed and formatted. The page, the print
/// view and the CSV all render this one object, so what is exported is by construction what is on screen.
/// A hidden figure is not in here at all: only its marker is, so no renderer can leak it.
/// </summary>
public sealed record InsightsReport(
    ReportPeriod Requested,
    ReportPeriod Period,
    string? Notice,
    int Threshold,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<InsightHeadline> Headlines,
    IReadOnlyList<InsightTable> Tables)
{
    /// <summary>What a hidden count shows ("&lt;5").</summary>
    public string SuppressedMarker => InsightCell.CountMarker(Threshold);

    /// <summary>
    /// One marker for every hidden count, small or not: were larger figures hidden as complements marked apart,
    /// the marker itself would narrow the small ones down (a hidden pair summing to 3 could only be 3 and 0).
    /// </summary>
    public string Legend =>
        $"{SuppressedMarker}: hidden. Either fewer than {Threshold} concerns, or a larger figure hidden as well so that a small one " +
        "cannot be worked out by subtracting from the totals; hidden figures may therefore add up to more than the marker suggests. " +
        $"n{SuppressedMarker}: a percentage or time drawn from fewer than {Threshold} concerns, or one that would reveal a hidden count. " +
        "All figures describe the concerns received in the period, as they stand today.";

    public string GeneratedLabel => GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    public InsightTable Table(string key) => Tables.First(t => t.Key == key);

    public InsightHeadline Headline(string key) => Headlines.First(h => h.Key == key);

    /// <summary>Every cell the report shows, headlines included.</summary>
    public IEnumerable<InsightCell> Cells
        => Headlines.Select(h => h.Value).Concat(Tables.SelectMany(t => t.Rows.Concat(t.Total is null ? [] : [t.Total]).SelectMany(r => r.Cells)));
}

/// <summary>A figure shown large at the top of the page.</summary>
public sealed record InsightHeadline(string Key, string Label, InsightCell Value, string Detail);

/// <summary>
/// One table: a label column, then <see cref="Columns"/> (headers after the label header), rows and an
/// optional total row. <see cref="Chart"/> says how the page draws it.
/// </summary>
public sealed record InsightTable(
    string Key,
    string Title,
    string LabelHeader,
    IReadOnlyList<string> Columns,
    IReadOnlyList<InsightRow> Rows,
    InsightRow? Total,
    InsightChart? Chart = null,
    string? Note = null)
{
    /// <summary>The header row as shown: the label header, then each column.</summary>
    public IReadOnlyList<string> Header => [LabelHeader, .. Columns];
}

public sealed record InsightRow(string Key, string Label, IReadOnlyList<InsightCell> Cells);

public enum InsightChartKind { Bar, Line, Donut }

/// <summary>Which columns become chart series; labels are the row labels. Hidden figures are drawn at zero.</summary>
public sealed record InsightChart(InsightChartKind Kind, IReadOnlyList<int> SeriesColumns);

/// <summary>One shown figure: its text, its number when it may be shown, and whether it is hidden.</summary>
public sealed record InsightCell(string Display, double? Value, bool Suppressed)
{
    public const string NoData = "–";

    public static string CountMarker(int threshold) => $"<{threshold}";

    public static InsightCell Count(long value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture), value, false);

    public static InsightCell HiddenCount(int threshold) => new(CountMarker(threshold), null, true);

    /// <summary>
    /// A percentage or time withheld: fewer than k concerns lie behind it, or it would reveal a hidden count. One
    /// marker for both, so the marker itself does not tell which hidden counts are small.
    /// </summary>
    public static InsightCell TooFew(int threshold) => new("n" + CountMarker(threshold), null, true);

    public static InsightCell Empty() => new(NoData, null, false);

    public static InsightCell Percent(long part, long whole)
    {
        var percent = 100.0 * part / whole;
        return new($"{Math.Round(percent, MidpointRounding.AwayFromZero).ToString("0", System.Globalization.CultureInfo.InvariantCulture)}%", percent, false);
    }

    public static InsightCell Days(double seconds)
    {
        var days = seconds / 86_400;
        return new($"{days.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} days", days, false);
    }
}
