using System.Globalization;

namespace EthicsPortal.Core.Insights;

public enum PeriodKind { Month, Quarter, Year }

/// <summary>
/// A calendar month, quarter or year of receipt (UTC). Its <see cref="Token"/> ("2026-03", "2026-Q1", "2026") is
/// what the address bar and the audit entry carry.
/// </summary>
public readonly record struct ReportPeriod
{
    private ReportPeriod(PeriodKind kind, int year, int number)
    {
        Kind = kind;
        Year = year;
        Number = number;
    }

    public PeriodKind Kind { get; }
    public int Year { get; }

    /// <summary>The month (1–12) or quarter (1–4); 0 for a year.</summary>
    public int Number { get; }

    public static ReportPeriod ForMonth(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        return new(PeriodKind.Month, year, month);
    }

    public static ReportPeriod ForQuarter(int year, int quarter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quarter, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quarter, 4);
        return new(PeriodKind.Quarter, year, quarter);
    }

    public static ReportPeriod ForYear(int year) => new(PeriodKind.Year, year, 0);

    /// <summary>The period of this kind that contains an instant (UTC).</summary>
    public static ReportPeriod Containing(DateTimeOffset at, PeriodKind kind)
    {
        var t = at.UtcDateTime;
        return kind switch
        {
            PeriodKind.Month => ForMonth(t.Year, t.Month),
            PeriodKind.Quarter => ForQuarter(t.Year, (t.Month + 2) / 3),
            _ => ForYear(t.Year),
        };
    }

    /// <summary>First and last month as yyyymm, the form of <c>Case.ReceivedMonth</c>.</summary>
    public int FirstMonth => Year * 100 + FirstMonthNumber;
    public int LastMonth => Year * 100 + LastMonthNumber;

    private int FirstMonthNumber => Kind switch { PeriodKind.Month => Number, PeriodKind.Quarter => Number * 3 - 2, _ => 1 };
    private int LastMonthNumber => Kind switch { PeriodKind.Month => Number, PeriodKind.Quarter => Number * 3, _ => 12 };

    /// <summary>The months in the period, in order.</summary>
    public IEnumerable<ReportPeriod> Months
    {
        get
        {
            for (var m = FirstMonthNumber; m <= LastMonthNumber; m++)
                yield return ForMonth(Year, m);
        }
    }

    /// <summary>The next coarser period that contains this one (a year stays a year).</summary>
    public ReportPeriod Coarser => Kind switch
    {
        PeriodKind.Month => ForQuarter(Year, (Number + 2) / 3),
        _ => ForYear(Year),
    };

    public bool Contains(ReportPeriod other) => other.Year == Year && other.FirstMonth >= FirstMonth && other.LastMonth <= LastMonth;

    public string Token => Kind switch
    {
        PeriodKind.Month => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Number:D2}"),
        PeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-Q{Number}"),
        _ => Year.ToString("D4", CultureInfo.InvariantCulture),
    };

    public string Label => Kind switch
    {
        PeriodKind.Month => new DateTime(Year, Number, 1, 0, 0, 0, DateTimeKind.Utc).ToString("MMMM yyyy", CultureInfo.InvariantCulture),
        PeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"Q{Number} {Year}"),
        _ => Year.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A short label for a month, for chart axes and table rows ("Mar 2026").</summary>
    public string ShortLabel => Kind == PeriodKind.Month
        ? new DateTime(Year, Number, 1, 0, 0, 0, DateTimeKind.Utc).ToString("MMM yyyy", CultureInfo.InvariantCulture)
        : Label;

    public override string ToString() => Token;

    /// <summary>Reads "2026-03", "2026-Q1" or "2026"; years 2000–9999.</summary>
    public static bool TryParse(string? text, out ReportPeriod period)
    {
        period = default;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length < 4
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 2000)
            return false;
        var rest = text.AsSpan(4);
        if (rest.IsEmpty)
        {
            period = ForYear(year);
            return true;
        }
        if (rest.Length == 3 && rest[0] == '-' && (rest[1] == 'Q' || rest[1] == 'q') && rest[2] is >= '1' and <= '4')
        {
            period = ForQuarter(year, rest[2] - '0');
            return true;
        }
        if (rest.Length == 3 && rest[0] == '-' && int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            && month is >= 1 and <= 12)
        {
            period = ForMonth(year, month);
            return true;
        }
        return false;
    }
}
