using EthicsPortal.Core.Data;
using EthicsPortal.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EthicsPortal.Core.Tests;

/// <summary>
/// The Core services over a real, migrated database (never the EF in-memory provider), with a fake clock: a SQLite
/// file in a temporary folder, or, for a test class marked [OnPostgreSql], a fresh database on a real PostgreSQL.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestDatabase(string folder, string? postgreSql, ServiceProvider services, FakeTimeProvider time)
    {
        Folder = folder;
        PostgreSql = postgreSql;
        _services = services;
        Time = time;
    }

    public string Folder { get; }

    /// <summary>The PostgreSQL database's connection string; null on SQLite.</summary>
    public string? PostgreSql { get; }
    public bool IsPostgreSql => PostgreSql is not null;
    public FakeTimeProvider Time { get; }
    public IServiceProvider Services => _services;
    public string DatabasePath => Path.Combine(Folder, "test.db");

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<TestDatabase> CreateAsync(Action<IServiceCollection>? configure = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ep-core-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        // Odd ticks on purpose: stored times must round-trip to the tick, or audit hashes break.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));
        var postgreSql = OnPostgreSqlAttribute.Current ? await PostgresServer.CreateDatabaseAsync(TestContext.Current.CancellationToken) : null;
        var provider = Build(folder, postgreSql, time, configure, settings);
        await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync(TestContext.Current.CancellationToken);
        return new TestDatabase(folder, postgreSql, provider, time);
    }

    /// <summary>
    /// A second portal instance on the same database file, key ring and head file, with services of its own (its own
    /// in-process locks): what two instances behind a load balancer share. The caller disposes it.
    /// </summary>
    public ServiceProvider OpenAnotherInstance(Action<IServiceCollection>? configure = null, IReadOnlyDictionary<string, string?>? settings = null)
        => Build(Folder, PostgreSql, Time, configure, settings);

    private static ServiceProvider Build(string folder, string? postgreSql, FakeTimeProvider time, Action<IServiceCollection>? configure,
        IReadOnlyDictionary<string, string?>? settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = postgreSql is null ? nameof(DatabaseProvider.Sqlite) : nameof(DatabaseProvider.PostgreSql),
            ["Database:PostgreSqlConnection"] = postgreSql,
            ["Database:SqlitePath"] = "test.db",
            ["DataProtection:KeyRingPath"] = "keys",
            ["Audit:HeadFilePath"] = "audit-head.txt",
            // Cheap key stretching for the service tests' many accounts; the browser tests run the README's defaults.
            ["Sealing:Argon2id:MemoryKiB"] = "8192",
            ["Sealing:Argon2id:Passes"] = "1",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddEthicsCore(configuration, folder);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public async Task<EthicsDbContext> ContextAsync()
        => await _services.GetRequiredService<IDbContextFactory<EthicsDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);

    /// <summary>Runs raw SQL on the database, as an attacker with access to it would.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using System.Data.Common.DbConnection connection = PostgreSql is null
            ? new SqliteConnection(CoreServices.SqliteConnectionString(DatabasePath))
            : new Npgsql.NpgsqlConnection(PostgreSql);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (PostgreSql is not null)
            await PostgresServer.DropDatabaseAsync(PostgreSql);
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}
