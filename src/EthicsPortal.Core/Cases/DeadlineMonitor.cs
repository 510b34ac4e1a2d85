using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.Cases;

public sealed class DeadlineAlertOptions
{
    public const string Section = "Deadlines:Alerts";

    /// <summary>Share of each period, in percent, at which the assignee and the queue are alerted; 100 also escalates to the chair.</summary>
    public int[] Thresholds { get; set; } = [50, 75, 90, 100];

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Sends deadline alerts once per threshold per period: to everyone who may see the case (assignee and
/// queue), and when a deadline is missed, an escalation to the chair. Time comes from TimeProvider.
/// </summary>
public sealed class DeadlineMonitor(IDbContextFactory<EthicsDbContext> contexts, NotificationService notifications,
    IOptions<DeadlineAlertOptions> options, AuditLog audit, TimeProvider time)
{
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var thresholds = options.Value.Thresholds.Where(t => t is > 0 and <= 100).Distinct().Order().ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var open = await db.Cases.AsNoTracking()
            // Not for concerns waiting for screening: a flood would bury the chair in alerts; the chair's list counts them.
            .Where(c => c.Status != CaseStatus.Closed && c.Status != CaseStatus.Rejected && !c.AwaitsScreening && (c.AcknowledgedAt == null || c.FirstFeedbackAt == null))
            .Select(c => new { c.Id, c.Reference, c.ReceivedAt, c.AcknowledgedAt, c.AcknowledgeBy, c.FeedbackBy, c.FirstFeedbackAt })
            .ToListAsync(ct);
        var sent = (await db.DeadlineAlerts.AsNoTracking().Select(a => new { a.CaseId, a.Period, a.Percent }).ToListAsync(ct))
            .Select(a => (a.CaseId, a.Period, a.Percent)).ToHashSet();
        var count = 0;
        foreach (var c in open)
        {
            var (period, start, end) = c.AcknowledgedAt is null
                ? (DeadlinePeriod.Acknowledge, c.ReceivedAt, c.AcknowledgeBy)
                : (DeadlinePeriod.Feedback, c.AcknowledgedAt.Value, c.FeedbackBy);
            var elapsed = (now - start) / (end - start) * 100;
            foreach (var percent in thresholds.Where(p => elapsed >= p && !sent.Contains((c.Id, period, p))))
            {
                db.DeadlineAlerts.Add(new DeadlineAlertSent(c.Id, period, percent, now));
                var what = period == DeadlinePeriod.Acknowledge ? "acknowledgement" : "feedback";
                await notifications.NotifyCaseAsync(db, c.Id, NotificationKind.DeadlineAlert,
                    percent >= 100 ? $"Case {c.Reference}: the {what} deadline has passed." : $"Case {c.Reference}: {percent}% of the {what} period has passed (due {end.UtcDateTime:d MMM yyyy}).",
                    null, ct);
                if (percent >= 100)
                    await notifications.NotifyCaseAsync(db, c.Id, NotificationKind.Escalation,
                        $"Escalation: case {c.Reference} missed its {what} deadline.", null, ct, chairsOnly: true);
                count++;
            }
        }
        if (count > 0)
            await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.System, "deadlines.alerts-sent", "deadlines", $"alerts={count}")], ct);
        return count;
    }
}
