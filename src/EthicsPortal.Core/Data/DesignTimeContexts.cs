using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Data;

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
