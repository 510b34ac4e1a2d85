using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Notifications;

public sealed record NotificationView(long Id, NotificationKind Kind, int? CaseId, string Text, DateTimeOffset At, bool IsRead);

/// <summary>
/// In-app notices for staff. A notice about a case only ever goes to people who may see that case, and is
/// only listed while they still may (an exclusion made later hides it too).
/// </summary>
public sealed class NotificationService(IDbContextFactory<EthicsDbContext> contexts, CaseAccess access, TimeProvider time)
{
    /// <summary>Adds notices to <paramref name="db"/> (the caller saves them with its change) for everyone who can see the case.</summary>
    public async Task NotifyCaseAsync(EthicsDbContext db, int caseId, NotificationKind kind, string text, string? exceptUserId, CancellationToken ct,
        bool chairsOnly = false, DateTimeOffset? at = null)
    {
        var recipients = await access.WhoCanSeeAsync(db, caseId, ct);
        if (chairsOnly)
        {
            var chairs = await CaseAccess.UsersInRoleAsync(db, Roles.Chair, ct);
            recipients = recipients.Intersect(chairs, StringComparer.Ordinal).ToList();
        }
        var now = at ?? time.GetUtcNow();
        foreach (var userId in recipients.Where(u => u != exceptUserId))
            db.Notifications.Add(new StaffNotification(userId, kind, caseId, text, now));
    }

    public async Task<IReadOnlyList<NotificationView>> ListAsync(string userId, int take = 50, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, userId, ct);
        var visible = access.Visible(db, actor).Select(c => c.Id);
        return await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == userId && (n.CaseId == null || visible.Contains(n.CaseId.Value)))
            .OrderByDescending(n => n.At).ThenByDescending(n => n.Id).Take(take)
            .Select(n => new NotificationView(n.Id, n.Kind, n.CaseId, n.Text, n.At, n.ReadAt != null))
            .ToListAsync(ct);
    }

    public async Task<int> CountUnreadAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, userId, ct);
        var visible = access.Visible(db, actor).Select(c => c.Id);
        return await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null
            && (n.CaseId == null || visible.Contains(n.CaseId.Value)), ct);
    }

    public async Task MarkAllReadAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        foreach (var n in await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null).ToListAsync(ct))
            n.MarkRead(now);
        await db.SaveChangesAsync(ct);
    }
}
