using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using Microsoft.AspNetCore.Components;

namespace EthicsPortal.Web.Components.Cases.Panels;

/// <summary>
/// Runs one action of a panel through the case page: the page shows the outcome and, on success, reads the case again
/// in its one query. True when the action succeeded, so the panel may clear what was typed.
/// </summary>
public delegate Task<bool> CaseActionRunner(Func<Task<Result>> action, string success);

/// <summary>
/// A panel of the case page. It shows part of the page's one read (<see cref="CasePageData"/>) and sends its actions to
/// the service that checks access and audits, through <see cref="Run"/>.
/// </summary>
public abstract class CasePanel : ComponentBase
{
    [Parameter, EditorRequired] public CasePageData Page { get; set; } = default!;
    [Parameter, EditorRequired] public CaseActionRunner Run { get; set; } = default!;
    [Parameter, EditorRequired] public string ActorId { get; set; } = "";
    [Parameter] public bool Busy { get; set; }

    protected CaseDetails Details => Page.Details;
    protected CaseRow Row => Page.Details.Row;
    protected int CaseId => Page.Details.Row.Id;

    protected static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("d MMM yyyy", System.Globalization.CultureInfo.CurrentCulture);
    protected static string When(DateTimeOffset t, bool toTheHour = false) => Infrastructure.StaffTimes.When(t, toTheHour);
    protected static string Show(string? s) => string.IsNullOrWhiteSpace(s) ? "—" : s;
}
