using Bunit;
using EthicsPortal.Core.Insights;
using EthicsPortal.Web.Components.Insights;

namespace EthicsPortal.Web.Tests.Insights;

/// <summary>A chart never presents a hidden figure as if it were absent (the demo's channel donut once read "100 % anonymous").</summary>
public sealed class InsightChartViewTests : MudTestContext
{
    private static InsightTable Channels(InsightChartKind kind, bool confidentialHidden) => new(
        "channel", "By channel", "Channel", ["Concerns"],
        [
            new InsightRow("anonymous", "Anonymous", [new InsightCell("12", 12, false)]),
            new InsightRow("confidential", "Confidential", [confidentialHidden ? new InsightCell("<5", null, true) : new InsightCell("6", 6, false)]),
        ],
        null, new InsightChart(kind, [0]));

    [Fact]
    public void Donut_WithAHiddenSlice_IsNotDrawn_AndSaysWhy()
    {
        var chart = Render<InsightChartView>(p => p.Add(c => c.Table, Channels(InsightChartKind.Donut, confidentialHidden: true)));

        Assert.NotNull(chart.Find("[data-testid=chart-hidden]"));
        Assert.Empty(chart.FindAll("svg"));
    }

    [Fact]
    public void Donut_WithNothingHidden_IsDrawn()
    {
        var chart = Render<InsightChartView>(p => p.Add(c => c.Table, Channels(InsightChartKind.Donut, confidentialHidden: false)));

        Assert.Empty(chart.FindAll("[data-testid=chart-hidden]"));
        Assert.NotEmpty(chart.FindAll("svg"));
    }

    [Fact]
    public void Bars_LabelAHiddenFigure_AsHidden()
    {
        var chart = Render<InsightChartView>(p => p.Add(c => c.Table, Channels(InsightChartKind.Bar, confidentialHidden: true)));

        Assert.Contains("Confidential (hidden)", chart.Markup, StringComparison.Ordinal);
    }
}
