using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.Customers;

public sealed class PatternOptions
{
    public const string Section = "Patterns";

    /// <summary>How many concerns about one customer make a pattern …</summary>
    public int Threshold { get; set; } = 3;

    /// <summary>… within how many days.</summary>
    public int WindowDays { get; set; } = 90;
}

/// <summary>Several concerns about one customer are worth more than each alone: flag them for the chair.</summary>
public sealed class CustomerPatterns(IOptions<PatternOptions> options, NotificationService notifications)
{
    public async Task CheckAsync(EthicsDbContext db, Customer customer, DateTimeOffset now, CancellationToken ct)
    {
        var o = options.Value;
        var since = now.AddDays(-o.WindowDays);
        var recent = await db.Cases.Where(c => c.CustomerId == customer.Id && c.ReceivedAt >= since).ToListAsync(ct);
        if (recent.Count < o.Threshold)
            return;
        foreach (var c in recent.Where(c => !c.PatternFlagged))
        {
            if (!c.FlagPattern(AuditActors.System, now, $"{recent.Count} concerns about {customer.Name} within {o.WindowDays} days").Succeeded)
                continue;
            await notifications.NotifyCaseAsync(db, c.Id, NotificationKind.PatternFlag,
                $"Pattern: case {c.Reference} is one of {recent.Count} concerns about one customer within {o.WindowDays} days.", null, ct, chairsOnly: true);
        }
    }
}
