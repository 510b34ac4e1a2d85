namespace EthicsPortal.Core.Data;

public enum DatabaseProvider
{
    /// <summary>One embedded file: the default, and enough for one instance; migrations live in EthicsPortal.Data.Sqlite.</summary>
    Sqlite,

    /// <summary>A server several instances share; migrations live in EthicsPortal.Data.PostgreSql.</summary>
    PostgreSql,
}

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The assemblies that hold each provider's migrations; the host must reference both.</summary>
    public const string PostgreSqlMigrationsAssembly = "EthicsPortal.Data.PostgreSql";
    public const string SqliteMigrationsAssembly = "EthicsPortal.Data.Sqlite";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>The SQLite file; relative paths are taken from the folder that holds appsettings.json.</summary>
    public string SqlitePath { get; set; } = "data/ethicsportal.db";

    /// <summary>The PostgreSQL connection string (Provider = PostgreSql), e.g. from an environment variable
    /// Database__PostgreSqlConnection rather than appsettings.json, so no password sits in a file.</summary>
    public string? PostgreSqlConnection { get; set; }
}
