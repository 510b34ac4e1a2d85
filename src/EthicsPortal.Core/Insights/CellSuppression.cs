namespace EthicsPortal.Core.Insights;

/// <summary>A published sum: <see cref="Total"/> is the sum of <see cref="Parts"/> (cell indexes).</summary>
public sealed record CellSum(int Total, IReadOnlyList<int> Parts);

/// <summary>
/// Small-cell suppression over a set of counts and the sums that tie them together (row and column totals,
/// grand totals, months to quarters to the year, one total split several ways).
/// <list type="number">
/// <item>Primary: a count that fewer than k concerns lie behind (zero excepted unless asked) is hidden.</item>
/// <item>Complementary: a sum with exactly one hidden member (its total counted as a member) would give that
/// member away by subtraction, so the next-smallest shown cell of that sum is hidden too; repeated until
/// no sum has exactly one hidden member.</item>
/// <item>Audit: that rule alone does not stop a hidden cell being solved from several sums at once, so
/// every hidden cell is checked against the whole system of shown sums (reduced row echelon form). Any that
/// are still determined get one more complementary cell, and the loop repeats until none is.</item>
/// </list>
/// The result depends only on the counts, so the same data always hides the same cells.
/// </summary>
public sealed class CellSuppression
{
    private const double Epsilon = 1e-9;
    private readonly List<long> _values = [];
    private readonly List<long> _people = [];
    private readonly List<CellSum> _sums = [];

    public int Count => _values.Count;
    public IReadOnlyList<CellSum> Sums => _sums;

    public long ValueOf(int cell) => _values[cell];

    /// <summary>Adds a count; <paramref name="people"/> is how many distinct concerns lie behind it (defaults to the count).</summary>
    public int Add(long value, long? people = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        _values.Add(value);
        _people.Add(people ?? value);
        return _values.Count - 1;
    }

    public void AddSum(int total, IReadOnlyList<int> parts)
    {
        if (parts.Count > 0)
            _sums.Add(new CellSum(total, parts.ToArray()));
    }

    /// <summary>Decides which cells to hide; true means hidden.</summary>
    public bool[] Suppress(int k, bool suppressZeros = false)
    {
        var hidden = new bool[Count];
        for (var i = 0; i < Count; i++)
            hidden[i] = _people[i] < k && (_people[i] > 0 || _values[i] > 0 || suppressZeros);

        while (true)
        {
            ProtectSums(hidden);
            var exposed = Exposed(hidden);
            if (exposed.Count == 0)
                return hidden;
            var added = false;
            foreach (var cell in exposed)
            {
                var extra = SmallestShownBeside(cell, hidden);
                if (extra >= 0)
                {
                    hidden[extra] = true;
                    added = true;
                }
            }
            if (!added)
            {
                // Every sum around the exposed cells is hidden whole; widen to any sum that still shows a cell.
                var extra = _sums.Where(s => Members(s).Any(c => hidden[c]))
                    .SelectMany(Members).Where(c => !hidden[c]).OrderBy(c => _values[c]).ThenBy(c => c).DefaultIfEmpty(-1).First();
                if (extra < 0)
                    return hidden;   // nothing is shown around them: whatever is "determined" is determined as zero
                hidden[extra] = true;
            }
        }
    }

    /// <summary>The hidden cells whose value follows from the shown ones through the sums (linear algebra, no bounds).</summary>
    public IReadOnlyList<int> Exposed(bool[] hidden)
    {
        var unknowns = new Dictionary<int, int>();
        for (var i = 0; i < hidden.Length; i++)
        {
            if (hidden[i])
                unknowns[i] = unknowns.Count;
        }
        if (unknowns.Count == 0)
            return [];
        var rows = new List<double[]>();
        foreach (var sum in _sums)
        {
            double[]? row = null;
            void Put(int cell, double coefficient)
            {
                if (!unknowns.TryGetValue(cell, out var column))
                    return;
                row ??= new double[unknowns.Count];
                row[column] += coefficient;
            }
            Put(sum.Total, 1);
            foreach (var part in sum.Parts)
                Put(part, -1);
            if (row is not null)
                rows.Add(row);
        }
        var cells = unknowns.OrderBy(u => u.Value).Select(u => u.Key).ToArray();
        return DeterminedColumns(rows, unknowns.Count).Select(c => cells[c]).ToList();
    }

    /// <summary>Columns x_j fixed by the system: after full reduction, some row is exactly the unit vector e_j.</summary>
    private static List<int> DeterminedColumns(List<double[]> rows, int columns)
    {
        var pivotRow = 0;
        for (var col = 0; col < columns && pivotRow < rows.Count; col++)
        {
            var best = -1;
            var bestAbs = Epsilon;
            for (var r = pivotRow; r < rows.Count; r++)
            {
                var a = Math.Abs(rows[r][col]);
                if (a > bestAbs)
                {
                    best = r;
                    bestAbs = a;
                }
            }
            if (best < 0)
                continue;
            (rows[pivotRow], rows[best]) = (rows[best], rows[pivotRow]);
            var pivot = rows[pivotRow];
            var scale = pivot[col];
            for (var c = col; c < columns; c++)
                pivot[c] /= scale;
            for (var r = 0; r < rows.Count; r++)
            {
                if (r == pivotRow)
                    continue;
                var row = rows[r];
                var factor = row[col];
                if (Math.Abs(factor) <= Epsilon)
                {
                    row[col] = 0;
                    continue;
                }
                for (var c = col; c < columns; c++)
                    row[c] -= factor * pivot[c];
            }
            pivotRow++;
        }
        var determined = new List<int>();
        for (var r = 0; r < pivotRow; r++)
        {
            var only = -1;
            var count = 0;
            for (var c = 0; c < columns && count < 2; c++)
            {
                if (Math.Abs(rows[r][c]) > Epsilon)
                {
                    only = c;
                    count++;
                }
            }
            if (count == 1)
                determined.Add(only);
        }
        return determined;
    }

    private void ProtectSums(bool[] hidden)
    {
        bool changed;
        do
        {
            changed = false;
            foreach (var sum in _sums)
            {
                if (Members(sum).Count(c => hidden[c]) != 1)
                    continue;
                var extra = SmallestShown(sum, hidden);
                if (extra >= 0)
                {
                    hidden[extra] = true;
                    changed = true;
                }
            }
        }
        while (changed);
    }

    /// <summary>The next-smallest shown cell of a sum: its parts first, the total only when no part is left.</summary>
    private int SmallestShown(CellSum sum, bool[] hidden)
    {
        var part = sum.Parts.Where(c => !hidden[c]).OrderBy(c => _values[c]).ThenBy(c => c).DefaultIfEmpty(-1).First();
        return part >= 0 ? part : hidden[sum.Total] ? -1 : sum.Total;
    }

    private int SmallestShownBeside(int cell, bool[] hidden)
        => _sums.Where(s => Members(s).Contains(cell)).Select(s => SmallestShown(s, hidden)).Where(c => c >= 0)
            .OrderBy(c => _values[c]).ThenBy(c => c).DefaultIfEmpty(-1).First();

    private static IEnumerable<int> Members(CellSum sum) => sum.Parts.Prepend(sum.Total);
}
