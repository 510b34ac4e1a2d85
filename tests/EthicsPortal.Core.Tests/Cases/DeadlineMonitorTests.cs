using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Cases;

public class DeadlineMonitorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<StaffNotification>> NotificationsAsync(Workspace w, NotificationKind kind)
    {
        await using var ctx = await w.Db.ContextAsync();
        return await ctx.Notifications.Where(n => n.Kind == kind).ToListAsync(Ct);
    }

    [Fact]
    public async Task Monitor_AlertsAtEachThresholdOnce_AndEscalatesAMissedDeadlineToTheChair()
    {
        await using var w = await Workspace.CreateAsync();
        await w.ConcernAsync();
        var monitor = w.Get<DeadlineMonitor>();

        Assert.Equal(0, await monitor.RunOnceAsync(Ct));            // day 0
        w.Db.Time.Advance(TimeSpan.FromDays(3.6));                  // > 50% of 7 days
        Assert.Equal(1, await monitor.RunOnceAsync(Ct));
        Assert.Equal(0, await monitor.RunOnceAsync(Ct));            // once only
        w.Db.Time.Advance(TimeSpan.FromDays(3.5));                  // past 100%: 75, 90 and 100 at once
        Assert.Equal(3, await monitor.RunOnceAsync(Ct));

        var alerts = await NotificationsAsync(w, NotificationKind.DeadlineAlert);
        Assert.Contains(alerts, n => n.UserId == w.InQueue && n.Text.Contains("50%", StringComparison.Ordinal));
        Assert.DoesNotContain(alerts, n => n.UserId == w.OutsideQueue);
        var escalations = await NotificationsAsync(w, NotificationKind.Escalation);
        Assert.Equal(w.Chair, Assert.Single(escalations).UserId);
    }

    [Fact]
    public async Task Monitor_AfterAcknowledgement_TracksTheThreeMonthFeedbackPeriod()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        w.Db.Time.Advance(TimeSpan.FromDays(2));
        await w.Get<CaseService>().AcknowledgeAsync(id, w.InQueue, ct: Ct);
        var monitor = w.Get<DeadlineMonitor>();
        await monitor.RunOnceAsync(Ct);

        w.Db.Time.Advance(TimeSpan.FromDays(50));                   // > 50% of ~92 days
        Assert.Equal(1, await monitor.RunOnceAsync(Ct));

        var alert = (await NotificationsAsync(w, NotificationKind.DeadlineAlert)).Single(n => n.UserId == w.InQueue);
        Assert.Contains("feedback", alert.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monitor_ClosedOrAnsweredCases_AreLeftAlone()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        await w.Get<CaseService>().RejectAsync(id, w.InQueue, "out of scope", "Not about our services.", ct: Ct);

        w.Db.Time.Advance(TimeSpan.FromDays(30));

        Assert.Equal(0, await w.Get<DeadlineMonitor>().RunOnceAsync(Ct));
    }
}
