using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EthicsPortal.Core.Data;

/// <summary>
/// Per-connection SQLite settings. secure_delete overwrites deleted content (reports must not linger in
/// free pages); trusted_schema=OFF stops schema-embedded SQL functions; synchronous=FULL makes an
/// acknowledged receipt survive a power cut; WAL lets readers work while one writer commits.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    internal const string Sql =
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; " +
        "PRAGMA trusted_schema=OFF; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.ExecuteNonQuery();
    }
}
