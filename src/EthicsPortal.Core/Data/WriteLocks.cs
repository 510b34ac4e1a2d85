using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EthicsPortal.Core.Data;

/// <summary>
/// One writer at a time across instances for work that reads before it writes (the audit head, a lease). SQLite
/// needs nothing more: a transaction EF opens there is BEGIN IMMEDIATE, which holds the file's write lock from the
/// first read. PostgreSQL's READ COMMITTED would let two transactions read the same head, so there the work takes a
/// transaction-scoped advisory lock, released by the commit or rollback.
/// </summary>
public static class WriteLocks
{
    public const long AuditChain = 0x4550_4155_4449_54;   // "EPAUDIT"
    public const long Leases = 0x4550_4C45_4153_45;       // "EPLEASE"

    /// <summary>Call inside the transaction whose reads must not interleave with another writer's.</summary>
    public static async Task TakeAsync(DatabaseFacade database, long key, CancellationToken ct)
    {
        if (database.CurrentTransaction is null)
            throw new InvalidOperationException("A write lock lives in a transaction; begin one first.");
        if (database.IsNpgsql())
            await database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [key], ct);
    }
}
