using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace EthicsPortal.Data.PostgreSql;

/// <summary>
/// Lets `dotnet ef migrations add --project src/EthicsPortal.Data.PostgreSql` build the PostgreSQL model without a
/// server (the connection string is never opened) and without the web host.
/// </summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<EthicsDbContext>
{
    public EthicsDbContext CreateDbContext(string[] args) => DesignTimeContexts.Create(new DatabaseOptions
    {
        Provider = DatabaseProvider.PostgreSql,
        PostgreSqlConnection = "Host=127.0.0.1;Database=design",
    });
}
