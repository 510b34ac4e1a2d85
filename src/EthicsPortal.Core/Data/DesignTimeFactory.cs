using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EthicsPortal.Core.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the web host.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<EthicsDbContext>
{
    public EthicsDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<EthicsDbContext>().UseSqlite("Data Source=design.db").Options);
}
