using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Data;

/// <summary>Applies migrations (never EnsureCreated) and makes sure every role exists.</summary>
public sealed class DatabaseInitializer(IServiceScopeFactory scopes)
{
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        if (db.Database.IsSqlite())
        {
            var path = db.Database.GetDbConnection().DataSource;
            if (!string.IsNullOrEmpty(path))
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            // Stored in the file: every later connection, of any instance, works in WAL mode.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        // Asked only when the history table exists: on a new PostgreSQL database the question itself logs a failed command.
        var upgrading = await db.GetService<IHistoryRepository>().ExistsAsync(ct)
                        && (await db.Database.GetAppliedMigrationsAsync(ct)).Any() && (await db.Database.GetPendingMigrationsAsync(ct)).Any();
        await db.Database.MigrateAsync(ct);
        // An upgrade may add indexes the planner knows nothing about; without statistics SQLite planned the insights and
        // queue queries 3-6x slower at a million cases. A full ANALYZE once per upgrade (seconds at that size); a fresh
        // database has nothing to measure yet. (A partial "PRAGMA optimize" with a small analysis_limit made plans worse.)
        if (upgrading && db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("ANALYZE;", ct);

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
