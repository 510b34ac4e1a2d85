using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EthicsPortal.Core.Data;

/// <summary>
/// Per-connection SQLite settings. secure_delete overwrites deleted content (reports must not linger in
/// free pages); trusted_schema=OFF stops schema-embedded SQL functions; synchronous=FULL makes an
/// acknowledged receipt survive a power cut. busy_timeout comes first, so a statement that meets another
/// writer waits in SQLite's own handler. WAL (readers work while one writer commits) is a property of the file,
/// set once by <see cref="DatabaseInitializer"/>: asking for it on every open took a lock each time, and under
/// concurrent submissions those opens spent more time waiting than the submissions spent working.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    internal const string Sql =
        "PRAGMA busy_timeout=10000; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; " +
        "PRAGMA trusted_schema=OFF; PRAGMA foreign_keys=ON;";

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
