using EthicsPortal.Tests.Shared;
using EthicsPortal.Web.Tests.Account;
using EthicsPortal.Web.Tests.FollowUp;
using EthicsPortal.Web.Tests.Report;

namespace EthicsPortal.Web.Tests;

// The portal's HTTP flows that store something, repeated on a fresh PostgreSQL database (PortalFactory reads the
// attribute): anonymous and confidential intake with evidence (and that nothing identifying reaches the database),
// the reporter's follow-up with a receipt, and staff sign-in and access. The Core tests run every service on both.

[OnPostgreSql] public sealed class IntakeHttpTestsOnPostgreSql : IntakeHttpTests;
[OnPostgreSql] public sealed class FollowUpHttpTestsOnPostgreSql : FollowUpHttpTests;
[OnPostgreSql] public sealed class StaffAccessTestsOnPostgreSql(PortalFactory factory) : StaffAccessTests(factory);

public sealed class OnPostgreSqlPortalTests
{
    [Fact]
    public async Task APortalOnSqlite_WritesItsFile_AndNoPostgreSqlDatabase()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/report", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Null(factory.PostgreSql);
        Assert.True(File.Exists(factory.DatabasePath));
    }
}

[OnPostgreSql]
public sealed class OnPostgreSqlPortalTestsOnPostgreSql
{
    [Fact]
    public async Task APortalOnPostgreSql_KeepsItsCasesThere_AndWritesNoSqliteFile()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        using var response = await Forms.SubmitConcernAsync(client, Forms.Concern());
        Assert.NotNull(Forms.TestId(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), "receipt"));

        Assert.NotNull(factory.PostgreSql);
        Assert.False(File.Exists(factory.DatabasePath));
        await using var connection = new Npgsql.NpgsqlConnection(factory.PostgreSql);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM \"Cases\"", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }
}
