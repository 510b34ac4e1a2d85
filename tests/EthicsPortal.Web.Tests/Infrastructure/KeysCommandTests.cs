using EthicsPortal.Tests.Shared;
using EthicsPortal.Web.Infrastructure;
using Microsoft.Data.Sqlite;

namespace EthicsPortal.Web.Tests.Infrastructure;

/// <summary>`keys migrate` (#16): on this build's data folder a clear no-op with the sealing counted; on a history it does not know, a refusal that changes nothing.</summary>
public sealed class KeysCommandTests
{
    private static async Task<long> ScalarAsync(string databasePath, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task KeysMigrate_OnASealedPortal_ChangesNothing_AndSaysWhatIsSealed()
    {
        await using var factory = new PortalFactory();
        using (var client = factory.CreateBrowserlikeClient())
        {
            // Two concerns through the reporter page, as a reporter sends them: sealed at intake, nobody signed in.
            using (await Forms.SubmitConcernAsync(client, Forms.Concern("Keys-migrate one: intercepts stored in bucket 9."))) { }
            using (await Forms.SubmitConcernAsync(client, Forms.Concern("Keys-migrate two: face matching on the archive."))) { }
        }
        string[] args = ["migrate", $"--Database:SqlitePath={factory.DatabasePath}", $"--Audit:HeadFilePath={Path.Combine(factory.Folder, "audit-head.txt")}"];
        var keysBefore = await ScalarAsync(factory.DatabasePath, "SELECT COUNT(*) FROM CaseKeys");
        var cases = await ScalarAsync(factory.DatabasePath, "SELECT COUNT(*) FROM Cases");
        Assert.Equal(2, cases);
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await KeysCommand.RunAsync(args, output, errors);

        Assert.Equal(0, exit);
        Assert.Equal("", errors.ToString());
        var text = output.ToString();
        Assert.StartsWith("Nothing to migrate: every case is sealed", text, StringComparison.Ordinal);
        Assert.Contains($"{cases} case(s); {cases} held by a committee member;", text, StringComparison.Ordinal);
        Assert.Contains("No recovery quorum is set up yet", text, StringComparison.Ordinal);
        Assert.Equal(keysBefore, await ScalarAsync(factory.DatabasePath, "SELECT COUNT(*) FROM CaseKeys"));
    }

    [Fact]
    public async Task KeysMigrate_OnADatabaseFromAnUnknownBuild_RefusesAndChangesNothing()
    {
        await using var factory = new PortalFactory();
        using (factory.CreateClient()) { }
        await ScalarAsync(factory.DatabasePath, "INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ('20261120000000_ContentProtector', '10.0.0'); SELECT 1");
        string[] args = ["migrate", $"--Database:SqlitePath={factory.DatabasePath}", $"--Audit:HeadFilePath={Path.Combine(factory.Folder, "audit-head.txt")}"];
        var history = await ScalarAsync(factory.DatabasePath, "SELECT COUNT(*) FROM __EFMigrationsHistory");
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await KeysCommand.RunAsync(args, output, errors);

        Assert.Equal(1, exit);
        Assert.Contains("20261120000000_ContentProtector", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(history, await ScalarAsync(factory.DatabasePath, "SELECT COUNT(*) FROM __EFMigrationsHistory"));
        Assert.Equal(2, await KeysCommand.RunAsync(["rotate"], output, errors));
    }
}
