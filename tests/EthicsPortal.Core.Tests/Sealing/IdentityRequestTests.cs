using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.FollowUp;
using EthicsPortal.Core.Notifications;
using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Tests.Cases;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Sealing;

/// <summary>Promise 5 of #16: the identity is sealed apart; a member asks with a reason, a custodian approves or refuses.</summary>
public class IdentityRequestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<int> IdentityCopiesAsync(Workspace w, int caseId, string userId)
    {
        await using var db = await w.Db.ContextAsync();
        return await db.CaseKeys.CountAsync(k => k.CaseId == caseId && k.Part == CaseKeyPart.Identity && k.HolderId == userId, Ct);
    }

    [Fact]
    public async Task AHandlerAsks_TheChairApproves_TheHandlerReveals_AndTheReporterSeesWhen()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync(confidential: true);
        var requests = w.Get<IdentityRequestService>();
        var cases = w.Get<CaseService>();

        Assert.Equal(ErrorKind.Forbidden, (await cases.RevealIdentityAsync(id, w.InQueue, "interview", Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.Validation, (await requests.RequestAsync(id, w.InQueue, "  ", Ct)).Error!.Kind);
        Assert.True((await requests.RequestAsync(id, w.InQueue, "zq-reason: we must interview them about bucket 7", Ct)).Succeeded);
        Assert.Equal(ErrorKind.Validation, (await requests.RequestAsync(id, w.InQueue, "again", Ct)).Error!.Kind);   // one open request
        Assert.Null((await requests.OwnAsync(id, w.InQueue, Ct))!.Approved);

        var open = Assert.Single((await requests.OpenRequestsAsync(w.Chair, Ct)).Value!);
        Assert.Equal("zq-reason: we must interview them about bucket 7", open.Reason);
        Assert.Equal(ErrorKind.Forbidden, (await requests.OpenRequestsAsync(w.InQueue, Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await requests.DecideAsync(open.Id, w.Admin, approve: true, Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await requests.DecideAsync(open.Id, w.InQueue, approve: true, Ct)).Error!.Kind);
        Assert.Equal(0, await IdentityCopiesAsync(w, id, w.InQueue));

        Assert.True((await requests.DecideAsync(open.Id, w.Chair, approve: true, Ct)).Succeeded);
        Assert.Equal(1, await IdentityCopiesAsync(w, id, w.InQueue));
        Assert.True((await requests.OwnAsync(id, w.InQueue, Ct))!.Approved);
        var revealed = await cases.RevealIdentityAsync(id, w.InQueue, "interview", Ct);
        Assert.Equal("riley@example.net", revealed.Value!.Contact);

        var inbox = (await w.Get<FollowUpService>().GetInboxAsync(w.Visit(id), Ct)).Value!;
        Assert.Equal(w.Db.Time.GetUtcNow(), inbox.IdentityRevealedAt);
        await using var db = await w.Db.ContextAsync();
        var actions = await db.AuditEntries.Where(e => e.Subject.StartsWith("case:")).Select(e => e.Action).ToListAsync(Ct);
        Assert.Contains("case.identity-requested", actions);
        Assert.Contains("case.identity-request-approved", actions);
        Assert.Contains("case.identity-revealed", actions);
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Details != null && e.Details.Contains("bucket 7"), Ct));   // the reason stays sealed
        Assert.False(await db.CaseEvents.AnyAsync(e => e.Reason.Contains("bucket 7"), Ct));
        Assert.True(await db.Notifications.AnyAsync(n => n.UserId == w.Chair && n.Kind == NotificationKind.IdentityRequested, Ct));
        Assert.True(await db.Notifications.AnyAsync(n => n.UserId == w.InQueue && n.Kind == NotificationKind.IdentityRequestDecided, Ct));
    }

    [Fact]
    public async Task ARefusal_GrantsNothing_AndAnApprovedMemberWhoLeavesTheQueueLosesTheIdentityKeyToo()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync(confidential: true);
        var requests = w.Get<IdentityRequestService>();

        Assert.True((await requests.RequestAsync(id, w.InQueue, "first try", Ct)).Succeeded);
        var first = Assert.Single((await requests.OpenRequestsAsync(w.Chair, Ct)).Value!);
        Assert.True((await requests.DecideAsync(first.Id, w.Chair, approve: false, Ct)).Succeeded);
        Assert.Equal(0, await IdentityCopiesAsync(w, id, w.InQueue));
        Assert.False((await requests.OwnAsync(id, w.InQueue, Ct))!.Approved);
        Assert.Equal(ErrorKind.Validation, (await requests.DecideAsync(first.Id, w.Chair, approve: true, Ct)).Error!.Kind);   // decided once

        Assert.True((await requests.RequestAsync(id, w.InQueue, "second try, with a better reason", Ct)).Succeeded);
        var second = Assert.Single((await requests.OpenRequestsAsync(w.Chair, Ct)).Value!);
        Assert.True((await requests.DecideAsync(second.Id, w.Chair, approve: true, Ct)).Succeeded);
        Assert.Equal(1, await IdentityCopiesAsync(w, id, w.InQueue));
        // Another change on the case keeps the approved copy; leaving the queue takes it.
        Assert.True((await w.Get<CaseService>().SetPriorityAsync(id, w.Chair, CasePriority.Urgent, "ongoing", Ct)).Succeeded);
        Assert.Equal(1, await IdentityCopiesAsync(w, id, w.InQueue));
        Assert.True((await w.Get<QueueAdminService>().SetMembersAsync(w.RightsQueue, [w.Excluded], w.Admin, Ct)).Succeeded);
        Assert.Equal(0, await IdentityCopiesAsync(w, id, w.InQueue));
    }
}
