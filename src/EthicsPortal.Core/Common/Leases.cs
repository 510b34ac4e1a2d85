using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Common;

/// <summary>Who runs a piece of background work (deadline alerts, retention, email digests) until when.</summary>
public sealed class Lease
{
    public const int NameMaxLength = 100;
    public const int HolderMaxLength = 200;

    private Lease() { }

    public Lease(string name, string holder, DateTimeOffset expiresAt) => (Name, Holder, ExpiresAt) = (name, holder, expiresAt);

    public string Name { get; private set; } = "";
    public string Holder { get; private set; } = "";
    public DateTimeOffset ExpiresAt { get; private set; }

    public void Renew(string holder, DateTimeOffset expiresAt) => (Holder, ExpiresAt) = (holder, expiresAt);
}

/// <summary>This process among the portal's instances: machine, process and a random part, never anything about a person.</summary>
public sealed class PortalInstance
{
    public string Id { get; } = Truncated($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");

    private static string Truncated(string id) => id.Length <= Lease.HolderMaxLength ? id : id[^Lease.HolderMaxLength..];
}

/// <summary>
/// Background work runs once across instances: each round, an instance takes (or renews) the work's lease in the
/// database and only the holder works; when a holder stops, its lease runs out and another instance takes over.
/// </summary>
public sealed class LeaseService(IDbContextFactory<EthicsDbContext> contexts, TimeProvider time)
{
    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        // A write transaction locked from the first read (WriteLocks), so two instances never both see it free.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await WriteLocks.TakeAsync(db.Database, WriteLocks.Leases, ct);
        var now = time.GetUtcNow();
        var lease = await db.Leases.FirstOrDefaultAsync(l => l.Name == name, ct);
        if (lease is null)
            db.Leases.Add(new Lease(name, holder, now + duration));
        else if (lease.Holder == holder || lease.ExpiresAt <= now)
            lease.Renew(holder, now + duration);
        else
            return false;
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;   // another instance took it in the same moment
        }
    }
}
