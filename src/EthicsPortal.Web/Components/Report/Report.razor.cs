using System.Security.Claims;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Intake;
using EthicsPortal.Core.Intake.Evidence;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace EthicsPortal.Web.Components.Report;

/// <summary>
/// The concern form (static SSR, no script). A stored concern answers with a redirect to /report/receipt
/// (post/redirect/get): a reload never submits it twice. The receipt travels to that page in an encrypted session
/// cookie in the reporter's own browser (ReceiptCookie), deleted once they confirm they saved it; the server keeps
/// only its hash. An anonymous submission never reads the sign-in state: only a
/// reporter who chose "confidential" and "use my account" has their account looked at.
/// </summary>
public partial class Report
{
    [Inject] private IntakeService Intake { get; set; } = default!;
    [Inject] private IStringLocalizer<ReporterText> Text { get; set; } = default!;
    [Inject] private ReceiptCookie Receipts { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private Infrastructure.IntakeGate Gate { get; set; } = default!;
    [CascadingParameter] private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "report", Name = "Model")] private ReportInput Input { get; set; } = default!;
    [SupplyParameterFromForm(FormName = "receipt-saved")] private ReceiptSavedInput? Saved { get; set; }

    private IReadOnlyList<CommitteeMember> _members = [];
    private IReadOnlyCollection<string> _excluded = [];
    private IReadOnlyDictionary<string, string[]>? _fieldErrors;
    private ShownReceipt? _receipt;
    private string? _error;
    private bool _notConfirmed;
    private bool _done;

    /// <summary>Offered only when the visitor chose nothing yet or chose confidential; never used for anonymous reports.</summary>
    private bool SignedInEmployee => Input.Mode == ReportInput.Confidential || HttpMethods.IsGet(HttpContext.Request.Method)
        ? HttpContext.User.IsInRole(Roles.Employee)
        : false;

    protected override async Task OnInitializedAsync()
    {
        Input ??= new ReportInput();
        if (HttpContext.Request.Path.StartsWithSegments(ReceiptCookie.PagePath))
        {
            _receipt = Receipts.Cookie.Read(HttpContext);
            if (_receipt is not null || Saved is not null)
                return;
        }
        _members = await Intake.CommitteeMembersForFormAsync(HttpContext.RequestAborted);
    }

    private async Task SubmitAsync()
    {
        // Over a client's or the portal's hourly share the concern is stored for screening; only past what a flood may
        // store is it refused, and then the form comes back with everything the reporter wrote.
        var form = HttpContext.Request.Form;
        _excluded = form["exclude"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        var bytes = HttpContext.Request.ContentLength ?? 0;
        var lane = Gate.Reserve(HttpContext, bytes);
        if (lane == Infrastructure.IntakeLane.Refused)
        {
            HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            _error = Text["TooMany.Text"];
            return;
        }
        Core.Common.Result<SubmissionReceipt> result;
        try
        {
            var files = Infrastructure.Uploads.Uploads.Chosen(HttpContext.Request);
            result = await Intake.SubmitAsync(new ConcernSubmission(
                Input.Customer ?? "", Input.ProductKey ?? "", Input.MisuseTypeKey ?? "", Input.Description ?? "",
                Input.WhenWhere ?? "", Input.HowKnown, Input.Ongoing, Input.PeopleInvolved ?? "",
                _excluded.ToList(), Identity(), files), forScreening: lane == Infrastructure.IntakeLane.Screening, HttpContext.RequestAborted);
        }
        catch
        {
            Gate.Release(HttpContext, lane, bytes);   // not stored (the browser went away): the place is given back
            throw;
        }

        if (!result.Succeeded)
        {
            Gate.Release(HttpContext, lane, bytes);
            _error = result.Error!.Message;
            _fieldErrors = result.Error.Fields;
            return;
        }
        var receipt = result.Value!;
        Receipts.Cookie.Write(HttpContext, new ShownReceipt(receipt.CaseReference, receipt.Receipt, SubmissionProofs.ToJson(receipt.Proof),
            ReceiptCookie.Shorten(receipt.Cleaned)));
        Navigation.NavigateTo(ReceiptCookie.PagePath, forceLoad: true);
    }

    private void Confirm()
    {
        _done = Saved?.Saved == true;
        _notConfirmed = !_done && _receipt is not null;
        if (_done)
        {
            Receipts.Cookie.Delete(HttpContext);
            _receipt = null;
        }
    }

    private ReporterIdentity? Identity()
    {
        if (Input.Mode != ReportInput.Confidential)
            return null;   // anonymous: the sign-in state is not even looked at
        if (Input.UseAccount && HttpContext.User.IsInRole(Roles.Employee))
        {
            var email = HttpContext.User.Identity?.Name ?? "";
            return new ReporterIdentity(string.IsNullOrWhiteSpace(Input.Name) ? email : Input.Name.Trim(),
                string.IsNullOrWhiteSpace(Input.Contact) ? email : Input.Contact.Trim(),
                HttpContext.User.FindFirstValue(ClaimTypes.NameIdentifier));
        }
        return new ReporterIdentity(Input.Name?.Trim() ?? "", Input.Contact?.Trim() ?? "", null);
    }
}
