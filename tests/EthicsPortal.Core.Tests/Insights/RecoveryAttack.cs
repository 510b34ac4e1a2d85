using EthicsPortal.Core.Insights;

namespace EthicsPortal.Core.Tests.Insights;

/// <summary>
/// An attacker who knows every figure shown and how the figures add up (rows to totals, months to quarters to
/// the year, one total split several ways) and tries to work out the hidden ones, first by repeated
/// subtraction, then by solving all the sums at once (exact elimination modulo a large prime).
/// A "recovery" is a hidden figure that gets solved, or a figure never shown whose solved value is 1..k-1.
/// </summary>
internal sealed class RecoveryAttack(int k)
{
    private const long Prime = 2_147_483_647;
    private static readonly string[] SplitTables = ["by-type", "by-product", "by-queue", "by-channel", "by-status", "outcomes", "actions"];
    private static readonly string[] OpenStatuses = ["Received", "Acknowledged", "Triage", "Investigating", "Referred", "Reopened"];
    private static readonly string[] ClosedStatuses = ["Closed", "Rejected"];
    private static readonly string[] Totals = ["N", "O", "C"];
    private readonly Dictionary<string, long?> _seen = new(StringComparer.Ordinal);
    private readonly List<(string Total, string[] Parts)> _sums = [];

    public int Hidden => _seen.Values.Count(v => v is null);
    public int Shown => _seen.Values.Count(v => v is not null);
    public IReadOnlyList<string> Inconsistencies => _inconsistent;
    private readonly List<string> _inconsistent = [];

    /// <summary>Notes a figure; the same figure seen twice (in two reports) must look the same both times.</summary>
    public void See(string name, long? value)
    {
        if (_seen.TryGetValue(name, out var before) && before != value)
            _inconsistent.Add($"{name}: {Show(before)} vs {Show(value)}");
        _seen.TryAdd(name, value);
    }

    public void See(string name, InsightCell cell) => See(name, cell.Suppressed ? null : (long)cell.Value!.Value);

    public void Sum(string total, IEnumerable<string> parts) => _sums.Add((total, parts.ToArray()));

    /// <summary>Reads the counts of one report, under names that say what they count, so that reports can be combined.</summary>
    public void Read(InsightsReport report)
    {
        var p = report.Period.Token;
        foreach (var key in SplitTables)
        {
            var table = report.Table(key);
            var total = key switch { "outcomes" => $"C|{p}", "actions" => $"actions|total|{p}", _ => $"N|{p}" };
            foreach (var row in table.Rows)
                See($"{key}|{row.Key}|{p}", row.Cells[0]);
            See(total, table.Total!.Cells[0]);
            Sum(total, table.Rows.Select(r => $"{key}|{r.Key}|{p}"));
        }
        Sum($"O|{p}", OpenStatuses.Select(s => $"by-status|{s}|{p}"));
        Sum($"C|{p}", ClosedStatuses.Select(s => $"by-status|{s}|{p}"));
        Sum($"N|{p}", [$"O|{p}", $"C|{p}"]);

        var overTime = report.Table("over-time");
        foreach (var row in overTime.Rows)
        {
            See($"N|{row.Key}", row.Cells[0]);
            See($"O|{row.Key}", row.Cells[1]);
            See($"C|{row.Key}", row.Cells[2]);
            Sum($"N|{row.Key}", [$"O|{row.Key}", $"C|{row.Key}"]);
        }
        if (overTime.Total is { } t)
        {
            See($"N|{p}", t.Cells[0]);
            See($"O|{p}", t.Cells[1]);
            See($"C|{p}", t.Cells[2]);
        }
        foreach (var x in Totals)
            Sum($"{x}|{p}", overTime.Rows.Select(r => $"{x}|{r.Key}"));

        var times = report.Table("times");
        See($"acknowledged|{p}", times.Rows[0].Cells[0]);
        See($"C|{p}", times.Rows[1].Cells[0]);
        var compliance = report.Table("compliance");
        See($"ack-measured|{p}", compliance.Rows[0].Cells[0]);
        See($"feedback-measured|{p}", compliance.Rows[1].Cells[0]);
        var substantiation = report.Table("substantiation").Rows[0].Cells;
        See($"SP|{p}", substantiation[0]);
        See($"D|{p}", substantiation[1]);
        Sum($"SP|{p}", [$"outcomes|Substantiated|{p}", $"outcomes|PartlySubstantiated|{p}"]);
        Sum($"D|{p}", [$"SP|{p}", $"outcomes|NotSubstantiated|{p}"]);
        var retaliation = report.Table("retaliation").Rows[0].Cells;
        See($"answered|{p}", retaliation[0]);
        See($"yes|{p}", retaliation[1]);
        See($"no|{p}", retaliation[2]);
        Sum($"answered|{p}", [$"yes|{p}", $"no|{p}"]);
        See($"N|{p}", report.Headline("received").Value);
    }

    /// <summary>Adds quarter = its months and year = its quarters for every figure named with a period.</summary>
    public void AddCalendar(int year)
    {
        var bases = _seen.Keys.Concat(_sums.SelectMany(s => s.Parts.Prepend(s.Total)))
            .Select(n => n[..n.LastIndexOf('|')]).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in bases)
        {
            for (var q = 1; q <= 4; q++)
                Sum($"{name}|{ReportPeriod.ForQuarter(year, q).Token}", ReportPeriod.ForQuarter(year, q).Months.Select(m => $"{name}|{m.Token}"));
            Sum($"{name}|{ReportPeriod.ForYear(year).Token}", Enumerable.Range(1, 4).Select(q => $"{name}|{ReportPeriod.ForQuarter(year, q).Token}"));
        }
    }

    /// <summary>Repeated subtraction: any sum with one unknown left gives that unknown away.</summary>
    public IReadOnlyList<string> RecoverBySubtraction()
    {
        var known = _seen.Where(s => s.Value is not null).ToDictionary(s => s.Key, s => s.Value!.Value, StringComparer.Ordinal);
        var recovered = new List<string>();
        bool progress;
        do
        {
            progress = false;
            foreach (var (total, parts) in _sums)
            {
                var members = parts.Prepend(total).ToArray();
                var unknown = members.Where(m => !known.ContainsKey(m)).Distinct().ToArray();
                if (unknown.Length != 1)
                    continue;
                var u = unknown[0];
                var coefficient = (u == total ? 1 : 0) - parts.Count(x => x == u);
                if (coefficient == 0)
                    continue;
                var rest = (known.GetValueOrDefault(total) * (u == total ? 0 : 1)) - parts.Where(x => x != u).Sum(x => known[x]);
                var value = -rest / coefficient;
                known[u] = value;
                progress = true;
                if (IsDisclosure(u, value))
                    recovered.Add($"{u} = {value}");
            }
        }
        while (progress);
        return recovered;
    }

    /// <summary>All sums at once: every unknown fixed by the system, found by exact elimination modulo a prime.</summary>
    public IReadOnlyList<string> RecoverByAlgebra()
    {
        var unknowns = _sums.SelectMany(s => s.Parts.Prepend(s.Total)).Where(n => _seen.GetValueOrDefault(n) is null)
            .Distinct(StringComparer.Ordinal).Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var names = unknowns.OrderBy(u => u.Value).Select(u => u.Key).ToArray();
        var rows = new List<long[]>();
        foreach (var (total, parts) in _sums)
        {
            var row = new long[names.Length + 1];
            var any = false;
            void Put(string name, long coefficient)
            {
                if (unknowns.TryGetValue(name, out var col))
                {
                    row[col] = Mod(row[col] + coefficient);
                    any = true;
                }
                else
                    row[^1] = Mod(row[^1] - coefficient * _seen[name]!.Value);
            }
            Put(total, 1);
            foreach (var part in parts)
                Put(part, -1);
            if (any)
                rows.Add(row);
        }
        var pivotRow = 0;
        for (var col = 0; col < names.Length && pivotRow < rows.Count; col++)
        {
            var found = rows.FindIndex(pivotRow, r => r[col] != 0);
            if (found < 0)
                continue;
            (rows[pivotRow], rows[found]) = (rows[found], rows[pivotRow]);
            var pivot = rows[pivotRow];
            var inverse = Power(pivot[col], Prime - 2);
            for (var c = 0; c <= names.Length; c++)
                pivot[c] = pivot[c] * inverse % Prime;
            for (var r = 0; r < rows.Count; r++)
            {
                if (r == pivotRow || rows[r][col] == 0)
                    continue;
                var factor = rows[r][col];
                for (var c = 0; c <= names.Length; c++)
                    rows[r][c] = Mod(rows[r][c] - factor * pivot[c] % Prime);
            }
            pivotRow++;
        }
        var recovered = new List<string>();
        foreach (var row in rows.Take(pivotRow))
        {
            var nonZero = Enumerable.Range(0, names.Length).Where(c => row[c] != 0).ToArray();
            if (nonZero.Length != 1)
                continue;
            var value = row[^1] > Prime / 2 ? row[^1] - Prime : row[^1];
            if (IsDisclosure(names[nonZero[0]], value))
                recovered.Add($"{names[nonZero[0]]} = {value}");
        }
        return recovered;
    }

    /// <summary>A hidden figure solved, or one never shown that turns out to be a small count.</summary>
    private bool IsDisclosure(string name, long value)
        => _seen.TryGetValue(name, out var seen) ? seen is null : value > 0 && value < k;

    private static long Mod(long v) => ((v % Prime) + Prime) % Prime;

    private static long Power(long b, long e)
    {
        long result = 1;
        b = Mod(b);
        while (e > 0)
        {
            if ((e & 1) == 1)
                result = result * b % Prime;
            b = b * b % Prime;
            e >>= 1;
        }
        return result;
    }

    private static string Show(long? v) => v?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "hidden";
}
