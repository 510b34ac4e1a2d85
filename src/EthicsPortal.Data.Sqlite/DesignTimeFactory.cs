using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace EthicsPortal.Data.Sqlite;

/// <summary>Lets `dotnet ef migrations add --project src/EthicsPortal.Data.Sqlite` build the SQLite model without the web host.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<EthicsDbContext>
{
    public EthicsDbContext CreateDbContext(string[] args) => DesignTimeContexts.Create(new DatabaseOptions { SqlitePath = "design.db" });
}
