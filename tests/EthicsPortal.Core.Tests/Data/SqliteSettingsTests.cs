using System.Reflection;
using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Data;

public sealed class SqliteSettingsTests
{
    [Theory]
    [InlineData("journal_mode", "wal")]
    [InlineData("secure_delete", "1")]
    [InlineData("trusted_schema", "0")]
    [InlineData("synchronous", "2")]   // FULL
    [InlineData("foreign_keys", "1")]
    public async Task Connection_HasThePortalsPragmas(string pragma, string expected)
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var ctx = await db.ContextAsync();
        await ctx.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = ctx.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";

        var value = Convert.ToString(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected, value);
    }

    [Fact]
    public async Task Initialize_AppliesMigrationsNotEnsureCreated()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var ctx = await db.ContextAsync();

        var applied = await ctx.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(applied);
        Assert.Empty(await ctx.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void CoreAssembly_ReferencesNoBlazorMudBlazorOrWeb()
    {
        var references = typeof(CoreServices).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, n => n.StartsWith("MudBlazor", StringComparison.Ordinal)
            || n.StartsWith("Microsoft.AspNetCore.Components", StringComparison.Ordinal)
            || n.StartsWith("EthicsPortal.Web", StringComparison.Ordinal));
        Assert.Contains(references, n => n == "Microsoft.EntityFrameworkCore");   // the check reads real references
    }
}

/// <summary>
/// The schema history is one Initial migration per provider (#16). Upgrade paths are tested again once a later
/// migration exists: step back to Initial and run the initializer (DatabaseInitializer then also runs ANALYZE).
/// </summary>
public sealed class SchemaHistoryTests
{
    [Fact]
    public async Task AFreshDatabase_HasTheInitialMigrationAndWhatCameAfter_FromTheSqliteProject()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var ctx = await db.ContextAsync();

        var applied = (await ctx.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).ToList();

        Assert.Equal(["_Initial", "_SealedCases", "_RecoveryQuorum", "_PasskeyWraps", "_QueueKeys"], applied.Select(m => m[m.IndexOf('_', StringComparison.Ordinal)..]));
        Assert.Equal(db.IsPostgreSql ? "EthicsPortal.Data.PostgreSql" : "EthicsPortal.Data.Sqlite",
            ctx.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly>().Assembly.GetName().Name);
    }

    [Fact]
    public async Task ADatabaseAtInitial_IsUpgradedByTheInitializer_AndGainsTheSealingTables()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = await db.ContextAsync())
        {
            var initial = (await ctx.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).First();
            await ctx.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync(initial, TestContext.Current.CancellationToken);
            Assert.Single(await ctx.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken));
        }

        await db.Get<DatabaseInitializer>().InitializeAsync(TestContext.Current.CancellationToken);

        await using var after = await db.ContextAsync();
        Assert.Empty(await after.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await after.CaseKeys.CountAsync(TestContext.Current.CancellationToken));   // the table is there
        Assert.Equal(0, await after.MemberKeys.CountAsync(TestContext.Current.CancellationToken));
        Assert.False(await after.RecoveryKeys.AnyAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ADatabaseFromAPreReleaseBuild_IsRefusedWithAPlainMessage_AndLeftAsItWas()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" NOT LIKE '%_Initial'");
        await db.ExecuteAsync("UPDATE \"__EFMigrationsHistory\" SET \"MigrationId\" = '20261128151018_Foundation'");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Get<DatabaseInitializer>().InitializeAsync(TestContext.Current.CancellationToken));

        Assert.Contains("a build of EthicsPortal this one does not know", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", refused.Message, StringComparison.Ordinal);
        await using var ctx = await db.ContextAsync();
        Assert.Equal(["20261128151018_Foundation"], await ctx.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken));
    }
}
