using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Audit;

public sealed record AuditFilter(string? Action = null, string? Actor = null, string? Subject = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Page = 0, int PageSize = 50);

/// <param name="Waiting">Reporter entries of the current hour (or an hour not yet flushed) waiting to join the chain.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Total, int Waiting = 0);

/// <summary>The audit log for administrators: filtered and paged in the database, newest first.</summary>
public sealed class AuditQueries(IDbContextFactory<EthicsDbContext> contexts, AuditVerifier verifier, AuditLog audit)
{
    private readonly Lock _gate = new();
    private AuditVerification? _latest;
    private DateTimeOffset? _latestAt;

    public (AuditVerification? Result, DateTimeOffset? At) LatestVerification
    {
        get { lock (_gate) return (_latest, _latestAt); }
    }

    public async Task<AuditPage> QueryAsync(AuditFilter f, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var q = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(f.Action)) q = q.Where(e => e.Action.StartsWith(f.Action.Trim()));
        if (!string.IsNullOrWhiteSpace(f.Actor)) q = q.Where(e => e.Actor.Contains(f.Actor.Trim()));
        if (!string.IsNullOrWhiteSpace(f.Subject)) q = q.Where(e => e.Subject.Contains(f.Subject.Trim()));
        if (f.From is { } from) q = q.Where(e => e.OccurredAt >= from);
        if (f.To is { } to) q = q.Where(e => e.OccurredAt < to);
        var total = await q.CountAsync(ct);
        var size = Math.Clamp(f.PageSize, 1, 500);
        var entries = await q.OrderByDescending(e => e.Sequence).Skip(Math.Max(0, f.Page) * size).Take(size).ToListAsync(ct);
        return new AuditPage(entries, total, await db.PendingAuditEntries.CountAsync(ct));
    }

    /// <summary>Verifies the whole chain now, remembers the result for the page, and records that it was checked.</summary>
    public async Task<AuditVerification> VerifyAsync(string actorId, DateTimeOffset now, CancellationToken ct = default)
    {
        var result = await verifier.VerifyAsync(ct);
        lock (_gate)
        {
            _latest = result;
            _latestAt = now;
        }
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(actorId), "audit.verified", "audit", result.Message), ct);
        return result;
    }
}
