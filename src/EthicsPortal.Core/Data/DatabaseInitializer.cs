using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.Data;

/// <summary>Applies migrations (never EnsureCreated) and makes sure every role exists.</summary>
/// <remarks>It also makes the data folders private (0700, files 0600): see <see cref="PrivateFiles"/>.</remarks>
public sealed class DatabaseInitializer(IServiceScopeFactory scopes, IOptions<KeyRingOptions> keyRing, IOptions<AuditOptions> auditOptions)
{
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        PrivateFiles.Folder(keyRing.Value.KeyRingPath);
        PrivateFiles.Restrict(Directory.GetFiles(keyRing.Value.KeyRingPath));
        var head = Path.GetFullPath(auditOptions.Value.HeadFilePath);
        PrivateFiles.Folder(Path.GetDirectoryName(head)!);
        PrivateFiles.Restrict(head);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        string? sqlite = null;
        if (db.Database.IsSqlite())
        {
            var path = db.Database.GetDbConnection().DataSource;
            if (!string.IsNullOrEmpty(path))
            {
                sqlite = Path.GetFullPath(path);
                PrivateFiles.Folder(Path.GetDirectoryName(sqlite)!);
            }
            // Stored in the file: every later connection, of any instance, works in WAL mode.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        var applied = await Sealing.LegacyUpgrade.AppliedAsync(db, ct);
        // A database made before sealed cases keeps its content under this server's key ring: the portal would show it to
        // nobody and could not keep the promise on its pages. `keys migrate` moves it, with a chair's password.
        switch (Sealing.LegacyUpgrade.StateOf(db, applied))
        {
            case Sealing.LegacyState.KeyRingContent when Sealing.LegacyUpgrade.IsPreSquash(applied) || await db.Cases.AnyAsync(ct):
                throw new InvalidOperationException(
                    "This database was made by a build before sealed cases: its reports are still under the server's key ring. Nothing was changed. " +
                    $"A chair moves it onto sealed keys with: {Sealing.LegacyUpgrade.Command}");
            case Sealing.LegacyState.Sealed when applied.Count > 0 && await Sealing.LegacyUpgrade.UnfinishedAsync(db, ct):
                throw new InvalidOperationException(
                    "An upgrade onto sealed keys stopped part way: some reports are still under the server's key ring. Nothing was changed. " +
                    $"Run it again (the cases moved already are kept): {Sealing.LegacyUpgrade.Command}");
            case Sealing.LegacyState.Unknown:
                throw new InvalidOperationException(
                    "This database was made by a build of EthicsPortal this one does not know. Nothing was changed. " +
                    $"Move the database away (it is {db.Database.GetDbConnection().DataSource}) and start again.");
        }
        var upgrading = applied.Count > 0 && (await db.Database.GetPendingMigrationsAsync(ct)).Any();
        await db.Database.MigrateAsync(ct);
        // An upgrade may add indexes the planner knows nothing about; without statistics SQLite planned the insights and
        // queue queries 3-6x slower at a million cases. A full ANALYZE once per upgrade (seconds at that size); a fresh
        // database has nothing to measure yet. (A partial "PRAGMA optimize" with a small analysis_limit made plans worse.)
        if (upgrading && db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("ANALYZE;", ct);
        if (sqlite is not null)
            PrivateFiles.Restrict(sqlite, sqlite + "-wal", sqlite + "-shm");

        if (!await db.Queues.AnyAsync(q => q.IsDefault, ct))
        {
            db.Queues.Add(new Queue(Queue.DefaultName, isDefault: true));
            await db.SaveChangesAsync(ct);
        }

        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
        }
    }
}
