using EthicsPortal.Tests.Shared;
using EthicsPortal.Web.Infrastructure;
using Microsoft.Data.Sqlite;

namespace EthicsPortal.Web.Tests.Infrastructure;

public sealed class AuditCommandTests
{
    [Fact]
    public async Task AuditVerify_IntactThenEdited_ExitsZeroThenOne()
    {
        await using var factory = new PortalFactory();
        using (factory.CreateClient()) { }   // starts the host: migrations and demo accounts write audit entries
        string[] args = [$"--Database:SqlitePath={factory.DatabasePath}", $"--Audit:HeadFilePath={Path.Combine(factory.Folder, "audit-head.txt")}"];

        var intact = await AuditCommand.RunAsync(args);
        await using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE AuditEntries SET Actor = 'someone else' WHERE Sequence = 2";
            Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }
        var broken = await AuditCommand.RunAsync(args);

        Assert.Equal(0, intact);
        Assert.Equal(1, broken);
    }
}
