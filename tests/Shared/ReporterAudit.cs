using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Tests.Shared;

/// <summary>
/// A reporter's audit entries as a test sees them: waiting for their hour's batch, or already in the chain if the hour
/// ended meanwhile (the batch tick may run during a test). Either way they carry the hour only.
/// </summary>
public static class ReporterAudit
{
    public sealed record Entry(string Actor, string Subject, string? Details, DateTimeOffset At, bool Waiting);

    public static async Task<IReadOnlyList<Entry>> EntriesAsync(EthicsDbContext db, string action)
    {
        var waiting = await db.PendingAuditEntries.AsNoTracking().Where(e => e.Action == action)
            .Select(e => new Entry(e.Actor, e.Subject, e.Details, e.Hour, true)).ToListAsync(TestContext.Current.CancellationToken);
        var chained = await db.AuditEntries.AsNoTracking().Where(e => e.Action == action)
            .Select(e => new Entry(e.Actor, e.Subject, e.Details, e.OccurredAt, false)).ToListAsync(TestContext.Current.CancellationToken);
        return [.. waiting, .. chained];
    }
}
