using EthicsPortal.Core.FollowUp;
using EthicsPortal.Core.Intake;
using EthicsPortal.Core.Intake.Evidence;
using EthicsPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace EthicsPortal.Web.Components.FollowUp;

/// <summary>
/// The reporter's inbox (static SSR, no script). The receipt opens it once; after that an encrypted session cookie
/// scoped to /followup keeps the visit (FollowUpSession). Each form posts here and is told apart by name; a stored
/// action answers with a redirect to a GET (post/redirect/get), so a reload never sends it twice.
/// </summary>
public partial class FollowUpPage
{
    [Inject] private FollowUpService FollowUp { get; set; } = default!;
    [Inject] private FollowUpSession Session { get; set; } = default!;
    [Inject] private ReceiptGuard Guard { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IStringLocalizer<ReporterText> Text { get; set; } = default!;
    [CascadingParameter] private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "receipt")] private ReceiptForm ReceiptInput { get; set; } = default!;
    [SupplyParameterFromForm(FormName = "reply")] private ReplyForm? Reply { get; set; }
    [SupplyParameterFromForm(FormName = "checkin")] private CheckInForm? CheckIn { get; set; }

    private EthicsPortal.Core.FollowUp.ReporterVisit? _visit;
    private EthicsPortal.Core.FollowUp.Inbox? _inbox;
    private string? _error;
    private string? _notice;
    private IReadOnlyDictionary<string, string[]>? _fieldErrors;
    private IReadOnlyList<RemovedMetadata> _removed = [];
    private bool _left;

    private CancellationToken Ct => HttpContext.RequestAborted;

    protected override async Task OnInitializedAsync()
    {
        ReceiptInput ??= new ReceiptForm();
        _visit = Session.Read(HttpContext);
        if (_visit is not null)
        {
            Session.Touch(HttpContext);   // sliding idle timeout
            if (HttpMethods.IsGet(HttpContext.Request.Method) && Session.Flash.Take(HttpContext) is { } done
                && FollowUpFlash.Keys.Contains(done.NoticeKey))
            {
                _notice = Text[done.NoticeKey];
                _removed = done.Removed ?? [];
            }
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        var inbox = await FollowUp.GetInboxAsync(_visit!, Ct);
        _inbox = inbox.Value;
        if (!inbox.Succeeded)
        {
            Session.End(HttpContext);
            _visit = null;
        }
    }

    internal async Task OpenAsync()
    {
        await Guard.PaceAsync(HttpContext, Ct);
        var opened = await FollowUp.OpenAsync(ReceiptInput.Receipt, Ct);
        if (!opened.Succeeded)
        {
            Guard.RecordFailure(HttpContext);
            _error = Text["FollowUp.WrongReceipt"];
            return;
        }
        Session.Start(HttpContext, opened.Value!);
        Navigation.NavigateTo(FollowUpSession.Path, forceLoad: true);   // post, then redirect: a reload never re-posts the receipt
    }

    internal async Task ReplyAsync()
    {
        if (_visit is not { } visit)
            return;
        var result = await FollowUp.ReplyAsync(visit, Reply?.Text, Ct);
        await AfterAsync(result.Error, new FollowUpFlash("FollowUp.ReplySent"));
    }

    internal async Task AddEvidenceAsync()
    {
        if (_visit is not { } visit)
            return;
        var files = Infrastructure.Uploads.Uploads.Chosen(HttpContext.Request);
        var result = await FollowUp.AddEvidenceAsync(visit, files, Ct);
        await AfterAsync(result.Error, new FollowUpFlash("FollowUp.EvidenceAdded", Report.ReceiptCookie.Shorten(result.Value ?? [])));
    }

    internal async Task AnswerCheckInAsync()
    {
        if (_visit is not { } visit || CheckIn is null)
            return;
        var result = await FollowUp.AnswerCheckInAsync(visit, CheckIn.Day, CheckIn.Answer == "yes", CheckIn.Details, Ct);
        await AfterAsync(result.Error, new FollowUpFlash(CheckIn.Answer == "yes" ? "FollowUp.CheckInYesThanks" : "FollowUp.CheckInThanks"));
    }

    internal void Leave()
    {
        Session.End(HttpContext);
        _inbox = null;
        _visit = null;
        _left = true;
    }

    /// <summary>
    /// Stored: redirect to a GET that shows the confirmation once. Refused: show why on this response; nothing was
    /// stored, so a reload can only be refused again.
    /// </summary>
    private async Task AfterAsync(Core.Common.Error? error, FollowUpFlash success)
    {
        if (error is null)
        {
            Session.Flash.Write(HttpContext, success);
            Navigation.NavigateTo(FollowUpSession.Path, forceLoad: true);
            return;
        }
        _fieldErrors = error.Fields ?? new Dictionary<string, string[]> { ["Form"] = [error.Message] };
        _error = error.Message;
        await LoadAsync();
    }

    internal sealed class ReceiptForm
    {
        public string? Receipt { get; set; }
    }

    internal sealed class ReplyForm
    {
        public string? Text { get; set; }
    }

    internal sealed class CheckInForm
    {
        public int Day { get; set; }
        public string? Answer { get; set; }
        public string? Details { get; set; }
    }
}
