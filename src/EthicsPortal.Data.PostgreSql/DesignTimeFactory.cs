using EthicsPortal.Core;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Data.PostgreSql;

/// <summary>
/// Lets `dotnet ef migrations add --project src/EthicsPortal.Data.PostgreSql` build the PostgreSQL model without a
/// server (the connection string is never opened) and without the web host.
/// </summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<EthicsDbContext>
{
    public EthicsDbContext CreateDbContext(string[] args)
    {
        var services = new ServiceCollection().Configure<Microsoft.AspNetCore.Identity.IdentityOptions>(StaffIdentity.Configure).BuildServiceProvider();
        var options = CoreServices.UseProvider(new DbContextOptionsBuilder<EthicsDbContext>(), new DatabaseOptions
        {
            Provider = DatabaseProvider.PostgreSql,
            PostgreSqlConnection = "Host=127.0.0.1;Database=design",
        });
        return new(((DbContextOptionsBuilder<EthicsDbContext>)options).UseApplicationServiceProvider(services).Options);
    }
}
