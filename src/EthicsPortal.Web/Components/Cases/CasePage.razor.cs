using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using Microsoft.AspNetCore.Components;

namespace EthicsPortal.Web.Components.Cases;

/// <summary>
/// The case page: one read (<see cref="CaseQueries.PageAsync"/>) feeds every panel; each panel's action goes to the
/// service that checks access and writes the audit, and on success the page reads the case once more.
/// </summary>
public partial class CasePage
{
    [Parameter] public int CaseId { get; set; }

    [Inject] private CaseQueries Queries { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private CasePageData? _page;
    private bool _notFound;
    private bool _busy;
    private string? _error;
    private string? _notice;
    private DateTimeOffset _now;

    protected override async Task OnStaffInitializedAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        _now = Time.GetUtcNow();
        var result = await Queries.PageAsync(CaseId, UserId, recordView: _page is null);   // the first read is audited; reloads after an action are not
        _notFound = !result.Succeeded;
        _page = result.Value;
    }

    /// <summary>Runs a panel's action; on success reads the case again so the page shows what is stored, never a guess.</summary>
    private async Task<bool> RunAsync(Func<Task<Result>> action, string success)
    {
        _busy = true;
        _error = _notice = null;
        StateHasChanged();
        try
        {
            var result = await action();
            if (result.Succeeded)
            {
                _notice = success;
                await LoadAsync();
                return true;
            }
            _error = result.Error!.Message;
            if (result.Error.Kind == ErrorKind.Conflict)
                await LoadAsync();   // show the current state; what the member typed stays in the fields
            return false;
        }
        finally
        {
            _busy = false;
            StateHasChanged();   // the event belonged to a panel, which Blazor re-renders; the page holds the result
        }
    }
}
