using EthicsPortal.Core.Insights;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace EthicsPortal.Web.Components.Insights;

/// <summary>
/// /insights: a thin page over <see cref="InsightsService"/>. The CSV is written from the very report object
/// this page renders, after the export is audited.
/// </summary>
public partial class InsightsPage
{
    public const string ScriptPath = "./Components/Insights/InsightsPage.razor.js";

    [Inject] private InsightsService Insights { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "period")] public string? Period { get; set; }

    private ReportPeriod _requested;
    private PeriodKind _kind = PeriodKind.Year;
    private IReadOnlyList<ReportPeriod> _periods = [];
    private InsightsReport? _report;
    private string? _error;
    private string? _status;
    private bool _busy;

    /// <summary>The report on screen (tests compare the CSV with it).</summary>
    internal InsightsReport? Report => _report;

    private string PrintHref => $"insights/print?period={Uri.EscapeDataString(_report?.Period.Token ?? _requested.Token)}";

    protected override async Task OnParametersSetAsync()
    {
        _error = null;
        _status = null;
        if (!ReportPeriod.TryParse(Period, out _requested))
        {
            if (!string.IsNullOrEmpty(Period))
                _error = "That period was not understood; showing this year instead.";
            _requested = Insights.DefaultPeriod;
        }
        _kind = _requested.Kind;
        var user = await ActorAsync();
        var periods = await Insights.ListPeriodsAsync(user, _kind);
        _periods = periods.Value ?? [];
        var result = await Insights.GetReportAsync(user, _requested);
        _report = result.Value;
        if (!result.Succeeded)
            _error = result.Error!.Message;
    }

    private void PeriodChanged(string token) => Navigation.NavigateTo($"insights?period={Uri.EscapeDataString(token)}");

    /// <summary>Another kind of period: the newest one that overlaps what is shown now.</summary>
    private async Task KindChangedAsync(PeriodKind kind)
    {
        var current = _report?.Period ?? _requested;
        var periods = (await Insights.ListPeriodsAsync(await ActorAsync(), kind)).Value ?? [];
        var next = periods.Where(p => p.Contains(current) || current.Contains(p)).Select(p => (ReportPeriod?)p).FirstOrDefault()
                   ?? periods.Select(p => (ReportPeriod?)p).FirstOrDefault();
        if (next is { } period)
            PeriodChanged(period.Token);
    }

    private async Task ExportCsvAsync()
    {
        if (_report is not { } report)
            return;
        _busy = true;
        _status = null;
        try
        {
            var audited = await Insights.RecordExportAsync(await ActorAsync(), report, "csv");
            if (!audited.Succeeded)
            {
                _error = audited.Error!.Message;
                return;
            }
            var bytes = InsightsCsv.Encode(InsightsCsv.Write(report));
            using var stream = new DotNetStreamReference(new MemoryStream(bytes), leaveOpen: false);
            await using var module = await JS.InvokeAsync<IJSObjectReference>("import", ScriptPath);
            await module.InvokeVoidAsync("downloadFile", InsightsCsv.FileName(report), InsightsCsv.ContentType, stream);
            _status = $"Exported {report.Period.Label} as CSV; the export is recorded in the audit chain.";
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>The signed-in member's id; the service reads their roles itself.</summary>
    private async Task<string> ActorAsync()
        => (await AuthState).User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? "";
}
