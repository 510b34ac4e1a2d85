using System.Globalization;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Customers;
using EthicsPortal.Core.Intake;
using EthicsPortal.Web.Components.Account;
using Microsoft.AspNetCore.Components;

namespace EthicsPortal.Web.Components.Cases;

/// <summary>The case page: every action goes to CaseService, which checks access and writes the audit.</summary>
public partial class CasePage
{
    [Parameter] public int CaseId { get; set; }

    [Inject] private CaseQueries Queries { get; set; } = default!;
    [Inject] private CaseService Cases { get; set; } = default!;
    [Inject] private CustomerService Customers { get; set; } = default!;
    [Inject] private QueueAdminService Queues { get; set; } = default!;
    [Inject] private IntakeService Intake { get; set; } = default!;
    [Inject] private CaseLabels Labels { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private Reauthentication Reauth { get; set; } = default!;
    [Inject] private EthicsPortal.Core.Retention.RetentionService Retention { get; set; } = default!;

    private CaseDetails? _d;
    private bool _notFound;
    private bool _busy;
    private string? _error;
    private string? _notice;
    private DateTimeOffset _now;
    private string? _message;
    private string? _note;
    private string? _assignee;
    private string? _assignReason;
    private CasePriority _priority;
    private int? _customer;
    private string? _linkReference;
    private string? _revealReason;
    private string? _revealPassword;
    private string? _revealCode;
    private bool _revealNeedsCode;
    private ReporterIdentity? _identity;
    private int? _queue;
    private string? _rerouteReason;
    private string? _exclude;
    private string? _excludeReason;
    private string? _holdReason;
    private IReadOnlyList<(string Id, string Name)> _assignable = [];
    private IReadOnlyList<(string Id, string Name)> _committee = [];
    private IReadOnlyList<CustomerSummary> _allCustomers = [];
    private IReadOnlyList<CustomerSummary> _suggestions = [];
    private IReadOnlyList<QueueView> _queues = [];

    protected override async Task OnStaffInitializedAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        _now = Time.GetUtcNow();
        var result = await Queries.GetAsync(CaseId, UserId, recordView: _d is null);   // the first read is audited; reloads after an action are not
        _notFound = !result.Succeeded;
        _d = result.Value;
        if (_d is null)
            return;
        _priority = _d.Row.Priority;
        if (_d.HasIdentity && _identity is null)
            _revealNeedsCode = await Reauth.NeedsCodeAsync(UserId);
        _assignable = await Queries.AssignableAsync(CaseId, UserId);
        _allCustomers = await Customers.ListAsync();
        _suggestions = await Customers.SuggestAsync(_d.Report.Customer);
        _customer ??= _suggestions.Count > 0 ? _suggestions[0].Id : null;
        if (_d.ViewerIsChair)
        {
            _queues = await Queues.QueuesAsync();
            _committee = (await Intake.ListCommitteeMembersAsync()).Where(m => m.UserId != UserId).Select(m => (m.UserId, m.DisplayName)).ToList();
        }
    }

    /// <summary>Runs an action; on success reloads the case so the page shows what is stored, never a guess.</summary>
    private async Task RunAsync(Func<Task<Result>> action, string success)
    {
        _busy = true;
        _error = _notice = null;
        try
        {
            var result = await action();
            if (result.Succeeded)
            {
                _notice = success;
                await LoadAsync();
            }
            else
            {
                _error = result.Error!.Message;
                if (result.Error.Kind == ErrorKind.Conflict)
                    await LoadAsync();   // show the current state; what the handler typed stays in the fields
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private Task MoveAsync((CaseMove Move, string Reason) m)
        => RunAsync(() => Cases.MoveAsync(CaseId, UserId, m.Move, m.Reason, _d!.Version), $"Done: {Vocabulary.Text(m.Move)}.");

    private Task RejectAsync((string Reason, string ForReporter) r)
        => RunAsync(() => Cases.RejectAsync(CaseId, UserId, r.Reason, r.ForReporter, _d!.Version), "The case is rejected; the reporter sees your reason.");

    private Task CloseAsync(CloseCase input)
        => RunAsync(() => Cases.CloseAsync(CaseId, UserId, input, _d!.Version), "The case is closed; the reporter sees your summary.");

    private async Task SendMessageAsync()
    {
        await RunAsync(() => Cases.SendMessageToReporterAsync(CaseId, UserId, _message), "Message sent; the reporter reads it in their inbox.");
        if (_error is null)
            _message = null;
    }

    private async Task AddNoteAsync()
    {
        await RunAsync(() => Cases.AddNoteAsync(CaseId, UserId, _note), "Note added.");
        if (_error is null)
            _note = null;
    }

    private Task AssignAsync() => RunAsync(() => Cases.AssignAsync(CaseId, UserId, _assignee, _assignReason ?? ""), "Assignment saved.");

    private Task SetPriorityAsync() => RunAsync(() => Cases.SetPriorityAsync(CaseId, UserId, _priority, "Priority changed"), "Priority saved.");

    private Task LinkCustomerAsync() => _customer is { } id
        ? RunAsync(() => Cases.LinkCustomerAsync(CaseId, UserId, id), "Customer linked; its account team is excluded from this case.")
        : Task.CompletedTask;

    private Task LinkCaseAsync() => RunAsync(() => Cases.LinkCasesAsync(CaseId, UserId, _linkReference ?? ""), "Cases linked.");

    private async Task RevealAsync()
    {
        _error = _notice = null;
        if (string.IsNullOrWhiteSpace(_revealReason))
        {
            _error = "Say why you need the identity; the reason is recorded and the chair reads it.";
            return;
        }
        _busy = true;
        try
        {
            var confirmed = await Reauth.VerifyAsync(UserId, _revealPassword, _revealCode, CancellationToken.None);
            _revealPassword = _revealCode = null;
            if (confirmed != ReauthenticationResult.Confirmed)
            {
                _error = confirmed == ReauthenticationResult.TooManyTries
                    ? $"Too many wrong tries: revealing is paused for {Reauthentication.Window.TotalMinutes:0} minutes. Your sign-in is not affected."
                    : _revealNeedsCode ? "Your password or code was not right, so the identity stays hidden." : "Your password was not right, so the identity stays hidden.";
                return;
            }
            var result = await Cases.RevealIdentityAsync(CaseId, UserId, _revealReason);
            _identity = result.Value;
            _error = result.Error?.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private Task RerouteAsync() => _queue is { } q
        ? RunAsync(() => Cases.RerouteAsync(CaseId, UserId, q, _rerouteReason ?? ""), "Case moved to the other queue.")
        : Task.CompletedTask;

    private Task ExcludeAsync() => _exclude is { } who
        ? RunAsync(() => Cases.ExcludeAsync(CaseId, UserId, who, _excludeReason ?? ""), "Member excluded; the case is hidden from them.")
        : Task.CompletedTask;

    private async Task PlaceHoldAsync()
    {
        await RunAsync(() => Retention.PlaceHoldAsync(CaseId, UserId, _holdReason ?? ""), "Legal hold placed: retention will not erase this case.");
        if (_error is null)
            _holdReason = null;
    }

    private async Task ReleaseHoldAsync()
    {
        await RunAsync(() => Retention.ReleaseHoldAsync(CaseId, UserId, _holdReason ?? ""), "Legal hold released.");
        if (_error is null)
            _holdReason = null;
    }

    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("d MMM yyyy", CultureInfo.CurrentCulture);
    private static string When(DateTimeOffset t, bool toTheHour = false) => Infrastructure.StaffTimes.When(t, toTheHour);
    private static string Show(string s) => string.IsNullOrWhiteSpace(s) ? "—" : s;
}
