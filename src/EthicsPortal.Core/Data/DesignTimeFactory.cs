using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Data;

/// <summary>Lets `dotnet ef migrations add` build the SQLite model without starting the web host.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<EthicsDbContext>
{
    public EthicsDbContext CreateDbContext(string[] args) => DesignTimeContexts.Create(new DatabaseOptions { SqlitePath = "design.db" });
}

public static class DesignTimeContexts
{
    /// <summary>
    /// A context for the EF tools on either provider (each migrations project has a factory that calls this). The
    /// connection is never opened. Identity picks its schema version (3: with passkeys) from IdentityOptions in the
    /// application's services, so those are configured as the portal configures them.
    /// </summary>
    public static EthicsDbContext Create(DatabaseOptions database)
    {
        var services = new ServiceCollection().Configure<Microsoft.AspNetCore.Identity.IdentityOptions>(StaffIdentity.Configure).BuildServiceProvider();
        var options = new DbContextOptionsBuilder<EthicsDbContext>();
        CoreServices.UseProvider(options, database);
        return new(options.UseApplicationServiceProvider(services).Options);
    }
}
