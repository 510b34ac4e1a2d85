using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Customers;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EthicsPortal.Web.Components.Cases;

public partial class CaseList
{
    [Inject] private CaseQueries Cases { get; set; } = default!;
    [Inject] private QueueAdminService Queues { get; set; } = default!;
    [Inject] private CustomerService Customers { get; set; } = default!;
    [Inject] private CaseLabels Labels { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    /// <summary>From a case's pattern chip: every concern about that customer, open or closed.</summary>
    [SupplyParameterFromQuery(Name = "customer")] public int? CustomerQuery { get; set; }

    private MudDataGrid<CaseRow>? _grid;
    private CaseFilter _filter = new(OpenOnly: true);
    private IReadOnlyList<QueueView> _queues = [];
    private IReadOnlyList<CustomerSummary> _customers = [];
    private DateTimeOffset _now;
    private int _awaitingScreening;

    protected override async Task OnStaffInitializedAsync()
    {
        _now = Time.GetUtcNow();
        if (CustomerQuery is { } customer)
            _filter = new CaseFilter(CustomerId: customer);
        _queues = await Queues.QueuesAsync();
        _awaitingScreening = await Cases.AwaitingScreeningAsync(UserId);
        _customers = await Customers.ListAsync();
    }

    private async Task SetAsync(CaseFilter filter)
    {
        _filter = filter;
        _awaitingScreening = await Cases.AwaitingScreeningAsync(UserId);
        if (_grid is not null)
            await _grid.ReloadServerData();
    }

    /// <summary>Paging and sorting go to the database; the grid only ever holds one page.</summary>
    /// <summary>More cases match than the queue counts (<see cref="CaseListOptions.CountLimit"/>): the page says so.</summary>
    private bool _moreThan;

    private async Task<GridData<CaseRow>> LoadAsync(GridState<CaseRow> state, CancellationToken ct)
    {
        var sort = state.SortDefinitions.FirstOrDefault() switch
        {
            { SortBy: nameof(CaseRow.ReceivedAt), Descending: false } => CaseSort.ReceivedOldest,
            { SortBy: nameof(CaseRow.Status) } => CaseSort.Status,
            { SortBy: nameof(CaseRow.Priority) } => CaseSort.Priority,
            { SortBy: nameof(CaseRow.AcknowledgeBy) } => CaseSort.AcknowledgeBy,
            _ => CaseSort.ReceivedNewest,
        };
        _now = Time.GetUtcNow();
        var page = await Cases.QueryAsync(UserId, _filter with { Sort = sort, Page = state.Page, PageSize = state.PageSize }, ct);
        _moreThan = page.MoreThanTotal;
        return new GridData<CaseRow> { Items = page.Rows, TotalItems = page.Total };
    }
}
