namespace EthicsPortal.Core.Insights;

/// <summary>
/// One figure (say "concerns about cloud storage") for every month, quarter and the whole of a year: 17 cells,
/// tied by sums (quarter = its months, year = its quarters).
/// </summary>
internal sealed record Series(int[] Cells, long[] Months, long[] People);

/// <summary>
/// Every figure of one year in one suppression problem. Suppression is decided for the whole year at once,
/// so March, Q1 and the year hide the same things: no figure can be recovered by subtracting one period's
/// report from another's, nor one table's total from another table that splits the same concerns differently.
/// </summary>
internal sealed class YearGrid(int year)
{
    public const int Slots = 17;
    private readonly CellSuppression _cells = new();
    private bool[]? _hidden;

    public int Year { get; } = year;
    public CellSuppression Cells => _cells;

    public static int Slot(ReportPeriod p) => p.Kind switch
    {
        PeriodKind.Month => p.Number - 1,
        PeriodKind.Quarter => 12 + p.Number - 1,
        _ => 16,
    };

    /// <summary>A figure from its twelve monthly counts (and the distinct concerns behind each, when not the count itself).</summary>
    public Series Add(long[] months, long[]? people = null)
    {
        if (_hidden is not null)
            throw new InvalidOperationException("Suppression has been decided already.");
        people ??= months;
        var cells = new int[Slots];
        for (var m = 0; m < 12; m++)
            cells[m] = _cells.Add(months[m], people[m]);
        for (var q = 0; q < 4; q++)
        {
            cells[12 + q] = _cells.Add(months[(q * 3)..(q * 3 + 3)].Sum(), people[(q * 3)..(q * 3 + 3)].Sum());
            _cells.AddSum(cells[12 + q], cells[(q * 3)..(q * 3 + 3)]);
        }
        cells[16] = _cells.Add(months.Sum(), people.Sum());
        _cells.AddSum(cells[16], cells[12..16]);
        return new Series(cells, months, people);
    }

    /// <summary>The sum of other figures, as its own figure (e.g. "substantiated in full or in part").</summary>
    public Series AddTotal(IReadOnlyList<Series> parts)
    {
        var months = new long[12];
        var people = new long[12];
        foreach (var part in parts)
        {
            for (var m = 0; m < 12; m++)
            {
                months[m] += part.Months[m];
                people[m] += part.People[m];
            }
        }
        var total = Add(months, people);
        AddSplit(total, parts);
        return total;
    }

    /// <summary>Declares that, in every period, <paramref name="total"/> is the sum of <paramref name="parts"/>.</summary>
    public void AddSplit(Series total, IReadOnlyList<Series> parts)
    {
        for (var s = 0; s < Slots; s++)
            _cells.AddSum(total.Cells[s], parts.Select(p => p.Cells[s]).ToArray());
    }

    public void Suppress(int k, bool suppressZeros) => _hidden = _cells.Suppress(k, suppressZeros);

    public bool IsHidden(Series series, ReportPeriod p) => Hidden[series.Cells[Slot(p)]];

    public long Value(Series series, ReportPeriod p) => _cells.ValueOf(series.Cells[Slot(p)]);

    /// <summary>The cell as shown: the count, or the marker when hidden (the count never leaves this class then).</summary>
    public InsightCell Cell(Series series, ReportPeriod p, int k)
        => IsHidden(series, p) ? InsightCell.HiddenCount(k) : InsightCell.Count(Value(series, p));

    private bool[] Hidden => _hidden ?? throw new InvalidOperationException("Call Suppress first.");
}
