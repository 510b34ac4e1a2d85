using EthicsPortal.Core;
using EthicsPortal.Core.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

[assembly: AssemblyFixture(typeof(EthicsPortal.Tests.Shared.PostgresServerLifetime))]

namespace EthicsPortal.Tests.Shared;

/// <summary>
/// A real PostgreSQL server for the tests that run on both providers. CI (.ci/run) starts one and names it in
/// EP_TEST_POSTGRES; otherwise the first test that needs it starts a throwaway cluster from Debian's packages on
/// 127.0.0.1 (postgres-server.sh) and the assembly fixture stops it. Each test gets its own database, copied from a
/// template migrated once per test process, and dropped when the test ends.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "EP_TEST_POSTGRES";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _admin;
    private static string? _ownCluster;
    private static string? _template;

    /// <summary>A new, migrated database (default queue and roles included); returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(CancellationToken ct = default)
    {
        await Gate.WaitAsync(ct);
        try
        {
            var admin = _admin ??= Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given ? given : await StartOwnClusterAsync();
            _template ??= await CreateTemplateAsync(admin, ct);
            var name = "ep_test_" + Guid.NewGuid().ToString("N");
            // Copying a template needs nobody connected to it, hence the gate and the pool cleared after migrating.
            await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\" TEMPLATE \"{_template}\"", ct);
            return WithDatabase(admin, name);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// A new database restored from a pg_dump custom-format file (an older build's database, as it was): no migration
    /// runs. Returns its connection string.
    /// </summary>
    public static async Task<string> RestoreAsync(string dumpPath, CancellationToken ct = default)
    {
        string admin;
        await Gate.WaitAsync(ct);
        try
        {
            admin = _admin ??= Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given ? given : await StartOwnClusterAsync();
        }
        finally
        {
            Gate.Release();
        }
        var name = "ep_test_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"", ct);
        var target = new NpgsqlConnectionStringBuilder(WithDatabase(admin, name));
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin", "pg_restore")).Where(File.Exists)
            .OrderBy(p => p, StringComparer.Ordinal).Last();
        var start = new System.Diagnostics.ProcessStartInfo(bin)
        {
            ArgumentList = { "--no-owner", "--no-privileges", "--exit-on-error", "-h", target.Host!, "-p", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-U", target.Username!, "-d", name, dumpPath },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["PGPASSWORD"] = target.Password;
        using var process = System.Diagnostics.Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"pg_restore failed ({process.ExitCode}): {errors}");
        return target.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using (var pooled = new NpgsqlConnection(connectionString))
            NpgsqlConnection.ClearPool(pooled);
        if (_admin is { } admin)
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None);
    }

    /// <summary>
    /// Every stored byte of every table, as COPY's binary format carries them (text and bytea verbatim): what someone
    /// reading the database would see. (Old row versions awaiting VACUUM are not included; SECURITY.md says so.)
    /// </summary>
    public static async Task<byte[]> DumpAsync(string connectionString, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                tables.Add(reader.GetString(0));
        }
        using var all = new MemoryStream();
        foreach (var table in tables)
        {
            await using var copy = await connection.BeginRawBinaryCopyAsync($"COPY \"{table}\" TO STDOUT (FORMAT BINARY)", ct);
            await copy.CopyToAsync(all, ct);
        }
        return all.ToArray();
    }

    /// <summary>Stops the cluster this process started (none when CI provided one, whose databases were dropped).</summary>
    public static async Task StopAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_template is { } template && _admin is { } admin && _ownCluster is null)
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{template}\" WITH (FORCE)", CancellationToken.None);
        if (_ownCluster is { } dir)
            await PostgresScript.StopAsync(dir);
        _admin = _ownCluster = _template = null;
    }

    private static async Task<string> CreateTemplateAsync(string admin, CancellationToken ct)
    {
        var name = $"ep_template_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"", ct);
        var connection = WithDatabase(admin, name);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = nameof(DatabaseProvider.PostgreSql),
            ["Database:PostgreSqlConnection"] = connection,
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddEthicsCore(configuration, Path.GetTempPath());
        await using (var provider = services.BuildServiceProvider())
            await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
        NpgsqlConnection.ClearAllPools();
        return name;
    }

    private static string WithDatabase(string admin, string database)
        => new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = 20 }.ConnectionString;

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<string> StartOwnClusterAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ep-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var admin = await PostgresScript.StartAsync(dir);
        _ownCluster = dir;
        return admin;
    }
}

/// <summary>Put on a test class that derives from a SQLite test class: the same tests, on PostgreSQL.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OnPostgreSqlAttribute : Attribute
{
    /// <summary>Whether the running test's class asks for PostgreSQL.</summary>
    public static bool Current
        => TestContext.Current.TestClass is Xunit.v3.IXunitTestClass { Class: var type } && IsDefined(type, typeof(OnPostgreSqlAttribute), inherit: false);
}

/// <summary>Stops the throwaway cluster when the test assembly is done.</summary>
public sealed class PostgresServerLifetime : IAsyncDisposable
{
    public ValueTask DisposeAsync() => new(PostgresServer.StopAsync());
}
