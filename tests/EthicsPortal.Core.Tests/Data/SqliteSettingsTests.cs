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

public sealed class UpgradeStatisticsTests
{
    [Fact]
    public async Task AnUpgrade_LeavesThePlannerFullStatistics_AFreshDatabaseNeedsNone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync();
        async Task<bool> HasStatistics()
        {
            await using var ctx = await db.ContextAsync();
            return await ctx.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE name = 'sqlite_stat1'").SingleAsync(ct) > 0;
        }
        var fresh = await HasStatistics();
        await using (var ctx = await db.ContextAsync())
        {
            // Step back one migration, as if this database came from the previous release.
            var migrations = (await ctx.Database.GetAppliedMigrationsAsync(ct)).ToList();
            await ctx.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync(migrations[^2], ct);
        }

        await db.Get<DatabaseInitializer>().InitializeAsync(ct);

        Assert.False(fresh);
        Assert.True(await HasStatistics());
    }
}

public sealed class StandingActionsMigrationTests
{
    [Fact]
    public async Task TheUpgrade_GivesEveryActionItsCasesMonth_AndStandsOnlyThoseOfClosedCases()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync();
        var seed = new Insights.InsightsSeed();
        await using (var ctx = await db.ContextAsync())
        {
            var queue = await Insights.InsightsSeed.DefaultQueueAsync(ctx);
            Insights.InsightsSeed.Close(seed.Receive(new DateTimeOffset(2024, 4, 3, 9, 0, 0, TimeSpan.Zero), queueId: queue),
                TimeSpan.FromDays(20), EthicsPortal.Core.Cases.CaseOutcome.Substantiated, EthicsPortal.Core.Cases.ActionKind.ContractReview);
            var reopened = Insights.InsightsSeed.Close(seed.Receive(new DateTimeOffset(2024, 5, 3, 9, 0, 0, TimeSpan.Zero), queueId: queue),
                TimeSpan.FromDays(20), EthicsPortal.Core.Cases.CaseOutcome.Substantiated, EthicsPortal.Core.Cases.ActionKind.PolicyChange);
            Assert.True(reopened.Reopen("staff:c", reopened.ClosedAt!.Value.AddDays(1), "new evidence").Succeeded);
            await seed.SaveAsync(ctx);
            // Back to the previous release: the two columns go, the actions stay.
            var migrations = (await ctx.Database.GetAppliedMigrationsAsync(ct)).ToList();
            var standing = migrations.FindIndex(m => m.EndsWith("_StandingActions", StringComparison.Ordinal));
            Assert.True(standing > 0, "no StandingActions migration");
            await ctx.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync(migrations[standing - 1], ct);
        }

        await db.Get<DatabaseInitializer>().InitializeAsync(ct);

        await using var check = await db.ContextAsync();
        var actions = await check.CaseActions.OrderBy(a => a.ReceivedMonth).Select(a => new { a.Kind, a.ReceivedMonth, a.Standing }).ToListAsync(ct);
        Assert.Equal([new { Kind = EthicsPortal.Core.Cases.ActionKind.ContractReview, ReceivedMonth = 202404, Standing = true },
                      new { Kind = EthicsPortal.Core.Cases.ActionKind.PolicyChange, ReceivedMonth = 202405, Standing = false }], actions);
    }
}
