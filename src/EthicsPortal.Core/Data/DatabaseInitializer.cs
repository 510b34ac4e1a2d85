using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
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
        }
        await db.Database.MigrateAsync(ct);

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
