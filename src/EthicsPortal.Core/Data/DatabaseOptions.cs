namespace EthicsPortal.Core.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The SQLite file; relative paths are taken from the folder that holds appsettings.json.</summary>
    public string SqlitePath { get; set; } = "data/ethicsportal.db";
}
