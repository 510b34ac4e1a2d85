using EthicsPortal.Core.Insights;

namespace EthicsPortal.Core.Tests.Insights;

public sealed class ReportPeriodTests
{
    [Theory]
    [InlineData("2026-03", PeriodKind.Month, 202603, 202603, "March 2026")]
    [InlineData("2026-Q1", PeriodKind.Quarter, 202601, 202603, "Q1 2026")]
    [InlineData("2026-q4", PeriodKind.Quarter, 202610, 202612, "Q4 2026")]
    [InlineData("2026", PeriodKind.Year, 202601, 202612, "2026")]
    public void TryParse_ValidToken_GivesThePeriod(string token, PeriodKind kind, int first, int last, string label)
    {
        Assert.True(ReportPeriod.TryParse(token, out var p));

        Assert.Equal((kind, first, last, label), (p.Kind, p.FirstMonth, p.LastMonth, p.Label));
        Assert.True(ReportPeriod.TryParse(p.Token, out var again));
        Assert.Equal(p, again);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-13")]
    [InlineData("2026-Q5")]
    [InlineData("1999")]
    [InlineData("2026-3")]
    [InlineData("'; DROP TABLE Cases; --")]
    public void TryParse_Invalid_IsRefused(string? token) => Assert.False(ReportPeriod.TryParse(token, out _));

    [Fact]
    public void Coarser_Month_IsItsQuarterThenItsYear()
    {
        var march = ReportPeriod.ForMonth(2026, 3);

        Assert.Equal(ReportPeriod.ForQuarter(2026, 1), march.Coarser);
        Assert.Equal(ReportPeriod.ForYear(2026), march.Coarser.Coarser);
        Assert.Equal(ReportPeriod.ForYear(2026), march.Coarser.Coarser.Coarser);
    }
}
