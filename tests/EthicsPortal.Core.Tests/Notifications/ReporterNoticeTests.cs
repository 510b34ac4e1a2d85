using EthicsPortal.Core.Cases;
using EthicsPortal.Core.FollowUp;
using EthicsPortal.Core.Notifications;
using EthicsPortal.Core.Tests.Cases;

namespace EthicsPortal.Core.Tests.Notifications;

/// <summary>What the reporter does reaches the people who may see the case, and only them, to the hour.</summary>
public class ReporterNoticeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReporterReply_TellsEveryoneWhoMaySeeTheCase_ButNotTheExcluded_AtTheHourOnly()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync(exclude: [w.Excluded]);
        w.Db.Time.Advance(TimeSpan.FromMinutes(37));
        var notices = w.Get<NotificationService>();

        Assert.True((await w.Get<FollowUpService>().ReplyAsync(w.Visit(id), "They also keep the audio.", Ct)).Succeeded);

        var handler = await notices.ListAsync(w.InQueue, ct: Ct);
        var replied = Assert.Single(handler, n => n.Kind == NotificationKind.ReporterReplied);
        Assert.Equal(id, replied.CaseId);
        Assert.DoesNotContain("audio", replied.Text, StringComparison.Ordinal);   // never the content
        Assert.Equal(0, replied.At.Minute + replied.At.Second);                   // anonymous: to the hour
        Assert.Contains(await notices.ListAsync(w.Chair, ct: Ct), n => n.Kind == NotificationKind.ReporterReplied);
        Assert.DoesNotContain(await notices.ListAsync(w.Excluded, ct: Ct), n => n.CaseId == id);
        Assert.DoesNotContain(await notices.ListAsync(w.OutsideQueue, ct: Ct), n => n.CaseId == id);
    }

    [Fact]
    public async Task CheckInAnsweredYes_RaisesARetaliationNotice_No_RaisesNone()
    {
        await using var w = await Workspace.CreateAsync();
        var yes = await w.ConcernAsync();
        var no = await w.ConcernAsync();
        w.Db.Time.Advance(TimeSpan.FromDays(30));
        var followUp = w.Get<FollowUpService>();

        Assert.True((await followUp.AnswerCheckInAsync(w.Visit(yes), 30, treatedWorse: true, "My access was removed.", Ct)).Succeeded);
        Assert.True((await followUp.AnswerCheckInAsync(w.Visit(no), 30, treatedWorse: false, null, Ct)).Succeeded);

        var list = await w.Get<NotificationService>().ListAsync(w.InQueue, ct: Ct);
        var flag = Assert.Single(list, n => n.Kind == NotificationKind.RetaliationFlag);
        Assert.Equal(yes, flag.CaseId);
        Assert.DoesNotContain("access", flag.Text, StringComparison.Ordinal);
    }
}
