using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the web host.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<EthicsDbContext>
{
    public EthicsDbContext CreateDbContext(string[] args)
    {
        // Identity picks its schema version (3: with passkeys) from IdentityOptions in the application's services.
        var services = new ServiceCollection().Configure<Microsoft.AspNetCore.Identity.IdentityOptions>(StaffIdentity.Configure).BuildServiceProvider();
        return new(new DbContextOptionsBuilder<EthicsDbContext>().UseSqlite("Data Source=design.db").UseApplicationServiceProvider(services).Options);
    }
}
