using EthicsPortal.Core.Insights;

namespace EthicsPortal.Core.Tests.Insights;

public sealed class CellSuppressionTests
{
    private const int K = 5;

    /// <summary>A table with row totals, column totals and a grand total, as the attacker sees it.</summary>
    private sealed record Table(CellSuppression Cells, int[,] Inner, int[] RowTotals, int[] ColumnTotals, int Grand);

    private static Table TwoWay(long[,] values)
    {
        var cells = new CellSuppression();
        int rows = values.GetLength(0), cols = values.GetLength(1);
        var inner = new int[rows, cols];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
                inner[r, c] = cells.Add(values[r, c]);
        }
        var rowTotals = Enumerable.Range(0, rows).Select(r => cells.Add(Enumerable.Range(0, cols).Sum(c => values[r, c]))).ToArray();
        var colTotals = Enumerable.Range(0, cols).Select(c => cells.Add(Enumerable.Range(0, rows).Sum(r => values[r, c]))).ToArray();
        var grand = cells.Add(rowTotals.Sum(cells.ValueOf));
        for (var r = 0; r < rows; r++)
            cells.AddSum(rowTotals[r], Enumerable.Range(0, cols).Select(c => inner[r, c]).ToArray());
        for (var c = 0; c < cols; c++)
            cells.AddSum(colTotals[c], Enumerable.Range(0, rows).Select(r => inner[r, c]).ToArray());
        cells.AddSum(grand, rowTotals);
        cells.AddSum(grand, colTotals);
        return new Table(cells, inner, rowTotals, colTotals, grand);
    }

    private static RecoveryAttack Attack(CellSuppression cells, bool[] hidden)
    {
        var attack = new RecoveryAttack(K);
        for (var i = 0; i < cells.Count; i++)
            attack.See($"c{i}", hidden[i] ? null : cells.ValueOf(i));
        foreach (var sum in cells.Sums)
            attack.Sum($"c{sum.Total}", sum.Parts.Select(p => $"c{p}"));
        return attack;
    }

    [Fact]
    public void Suppress_CountBelowK_IsHidden()
    {
        var t = TwoWay(new long[,] { { 20, 3 }, { 30, 40 } });

        var hidden = t.Cells.Suppress(K);

        Assert.True(hidden[t.Inner[0, 1]]);
        Assert.False(hidden[t.Grand]);
    }

    [Fact]
    public void Suppress_OneHiddenCellInARow_AlsoHidesTheNextSmallestInThatRowAndColumn()
    {
        var t = TwoWay(new long[,] { { 20, 3, 9 }, { 30, 40, 12 }, { 25, 26, 27 } });

        var hidden = t.Cells.Suppress(K);

        Assert.True(hidden[t.Inner[0, 1]]);
        Assert.True(hidden[t.Inner[0, 2]]);                 // 9: next-smallest in row 0
        Assert.True(hidden[t.Inner[1, 2]] || hidden[t.Inner[2, 1]] || hidden[t.Inner[1, 1]]);
        Assert.Empty(Attack(t.Cells, hidden).RecoverBySubtraction());
        Assert.Empty(Attack(t.Cells, hidden).RecoverByAlgebra());
    }

    [Fact]
    public void Suppress_ZeroCount_IsShownUnlessAsked()
    {
        var cells = new CellSuppression();
        var zero = cells.Add(0);

        Assert.False(cells.Suppress(K)[zero]);
        Assert.True(cells.Suppress(K, suppressZeros: true)[zero]);
    }

    [Fact]
    public void Suppress_FewPeopleBehindALargeCount_IsHidden()
    {
        var cells = new CellSuppression();
        var checkIns = cells.Add(9, people: 3);   // nine answers from three concerns

        Assert.True(cells.Suppress(K)[checkIns]);
    }

    [Fact]
    public void Suppress_SmallTotal_HidesTheTotalAndCannotBeRecoveredFromItsParts()
    {
        var t = TwoWay(new long[,] { { 2, 1 }, { 0, 1 } });

        var hidden = t.Cells.Suppress(K);

        Assert.True(hidden[t.Grand]);
        Assert.Empty(Attack(t.Cells, hidden).RecoverBySubtraction());
        Assert.Empty(Attack(t.Cells, hidden).RecoverByAlgebra());
    }

    [Fact]
    public void Suppress_SameCounts_AlwaysHidesTheSameCells()
    {
        var values = new long[,] { { 20, 3, 9 }, { 1, 40, 12 }, { 25, 2, 27 } };

        Assert.Equal(TwoWay(values).Cells.Suppress(K), TwoWay(values).Cells.Suppress(K));
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Suppress_RandomTable_NoHiddenCellCanBeRecoveredFromRowColumnOrGrandTotals(int seed)
    {
        var random = new Random(seed);
        int rows = random.Next(1, 8), cols = random.Next(1, 6);
        var values = new long[rows, cols];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
                values[r, c] = random.Next(4) switch { 0 => 0, 1 => random.Next(1, 5), 2 => random.Next(5, 12), _ => random.Next(12, 60) };
        }
        var t = TwoWay(values);

        var hidden = t.Cells.Suppress(K);
        var attack = Attack(t.Cells, hidden);

        for (var i = 0; i < t.Cells.Count; i++)
        {
            var v = t.Cells.ValueOf(i);
            if (v is > 0 and < K)
                Assert.True(hidden[i], $"cell {i} = {v} is shown");
        }
        Assert.Empty(attack.RecoverBySubtraction());
        Assert.Empty(attack.RecoverByAlgebra());
    }

    [Fact]
    public void Exposed_HiddenCellSolvableOnlyFromSeveralSums_IsFound()
    {
        // a + b = 10 (row), a + c = 7 (column), b + c = 9 (another sum): each sum has two unknowns, yet a = 4.
        var cells = new CellSuppression();
        int a = cells.Add(4), b = cells.Add(6), c = cells.Add(3);
        int ab = cells.Add(10), ac = cells.Add(7), bc = cells.Add(9);
        cells.AddSum(ab, [a, b]);
        cells.AddSum(ac, [a, c]);
        cells.AddSum(bc, [b, c]);
        var hidden = new bool[cells.Count];
        hidden[a] = hidden[b] = hidden[c] = true;

        Assert.Equal([a, b, c], cells.Exposed(hidden).Order());
    }
}
