using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EthicsPortal.Core.Audit;

/// <summary>
/// The single serialized writer of the audit chain. Appends are serialized in-process by a semaphore, and a
/// unique index on <see cref="AuditEntry.Sequence"/> turns a race with another process into a retry rather
/// than a fork. A change and its audit entries always commit together or not at all.
/// </summary>
public sealed class AuditLog(IDbContextFactory<EthicsDbContext> contexts, TimeProvider time, AuditHeadFile headFile, ILogger<AuditLog> logger) : IDisposable
{
    private const int MaxAttempts = 10;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Appends one entry on its own.</summary>
    public async Task AppendAsync(AuditRecord record, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await SaveChangesAsync(db, [record], ct);
    }

    /// <summary>Saves the caller's pending changes and the audit entries in one SaveChanges (one transaction).</summary>
    public async Task SaveChangesAsync(EthicsDbContext db, IReadOnlyList<AuditRecord> records, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                // The head is read inside a write transaction under the chain's write lock (WriteLocks), so another instance
                // on the same database waits for it instead of reading the same head; the unique sequence stays the last guard.
                var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
                List<AuditEntry> added = [];
                try
                {
                    added = await AddEntriesAsync(db, records, ct);
                    await db.SaveChangesAsync(ct);
                    if (own is not null)
                        await own.CommitAsync(ct);
                    WriteHead(added);
                    return;
                }
                catch (DbUpdateException ex) when (attempt < MaxAttempts && IsSequenceClash(ex))
                {
                    // Another process appended first; take the new head and try again.
                    logger.LogWarning(ex, "Audit append raced with another writer; retrying (attempt {Attempt}).", attempt);
                    Detach(db);
                    await Task.Delay(Random.Shared.Next(5, 25) * attempt, ct);
                }
                catch
                {
                    Detach(db);
                    throw;
                }
                finally
                {
                    if (own is not null)
                        await own.DisposeAsync();
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs work that saves several times (such as Identity's managers) inside one transaction with its audit
    /// entries. The chain's gate is taken before the transaction, so every writer takes the two in one order.
    /// Nothing is stored when the work fails.
    /// </summary>
    public async Task<Result> ExecuteAsync(EthicsDbContext db,
        Func<CancellationToken, Task<(Result Outcome, IReadOnlyList<AuditRecord> Records)>> work, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var (outcome, records) = await work(ct);
            if (!outcome.Succeeded)
                return outcome;   // disposing the transaction rolls back whatever the work saved
            var added = await AddEntriesAsync(db, records, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            WriteHead(added);
            return outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// Adds the batches of reporter entries whose hour has ended to the chain, when nothing else is appended (the
    /// hourly tick). Returns how many joined.
    /// </summary>
    public async Task<int> FlushEndedHoursAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var hour = Cases.Case.TruncateToHour(time.GetUtcNow());
        if (!await db.PendingAuditEntries.AnyAsync(p => p.Hour < hour, ct))
            return 0;
        var before = await db.AuditEntries.CountAsync(ct);
        await SaveChangesAsync(db, [], ct);
        return await db.AuditEntries.CountAsync(ct) - before;
    }

    private async Task<List<AuditEntry>> AddEntriesAsync(EthicsDbContext db, IReadOnlyList<AuditRecord> records, CancellationToken ct)
    {
        await WriteLocks.TakeAsync(db.Database, WriteLocks.AuditChain, ct);
        var now = time.GetUtcNow();
        var hour = Cases.Case.TruncateToHour(now);

        // A reporter's entry waits for its hour's batch, in this same transaction (so it is never lost).
        foreach (var record in records.Where(r => r.HourOnly))
        {
            db.PendingAuditEntries.Add(new PendingAuditEntry
            {
                Id = Guid.NewGuid(), Hour = hour,
                Actor = Truncate(record.Actor, AuditEntry.ActorMaxLength),
                Action = Truncate(record.Action, AuditEntry.ActionMaxLength),
                Subject = Truncate(record.Subject, AuditEntry.SubjectMaxLength),
                Details = record.Details is null ? null : Truncate(record.Details, AuditEntry.DetailsMaxLength),
            });
        }

        // Every batch whose hour has ended joins first, hour by hour, each in the order of its random keys: with a staff
        // append or the tick, never with a reporter's own request, which so never writes to the chain at all.
        var flush = records.Count == 0 || records.Any(r => !r.HourOnly);
        var ended = flush ? await db.PendingAuditEntries.Where(p => p.Hour < hour).ToListAsync(ct) : [];
        var chained = ended.OrderBy(p => p.Hour).ThenBy(p => p.Id)
            .Select(p => (p.Hour, new AuditRecord(p.Actor, p.Action, p.Subject, p.Details)))
            .Concat(records.Where(r => !r.HourOnly).Select(r => (now, r)))
            .ToList();
        db.PendingAuditEntries.RemoveRange(ended);
        if (chained.Count == 0)
            return [];

        var head = await db.AuditEntries.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync(ct);
        var sequence = head?.Sequence ?? 0;
        var previous = head?.Hash ?? AuditHasher.GenesisHash;
        var added = new List<AuditEntry>(chained.Count);
        foreach (var (at, record) in chained)
        {
            var entry = new AuditEntry
            {
                Sequence = ++sequence,
                OccurredAt = at,
                Actor = Truncate(record.Actor, AuditEntry.ActorMaxLength),
                Action = Truncate(record.Action, AuditEntry.ActionMaxLength),
                Subject = Truncate(record.Subject, AuditEntry.SubjectMaxLength),
                Details = record.Details is null ? null : Truncate(record.Details, AuditEntry.DetailsMaxLength),
                PreviousHash = previous,
            };
            entry.Hash = AuditHasher.Compute(previous, entry);
            previous = entry.Hash;
            db.AuditEntries.Add(entry);
            added.Add(entry);
        }
        return added;
    }

    private void WriteHead(List<AuditEntry> added)
    {
        if (added.Count > 0)
            headFile.Write(added[^1].Sequence, added[^1].Hash);
    }

    /// <summary>Only a clash on the chain's unique sequence is worth a retry; any other failure is the caller's.</summary>
    private static bool IsSequenceClash(DbUpdateException ex)
        => ex is not DbUpdateConcurrencyException
           && ex.InnerException?.Message.Contains(nameof(EthicsDbContext.AuditEntries), StringComparison.Ordinal) == true;

    /// <summary>Forgets what an attempt added to the chain and to the pending batch, so a retry starts clean.</summary>
    private static void Detach(EthicsDbContext db)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is AuditEntry or PendingAuditEntry).ToList())
            entry.State = EntityState.Detached;
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
