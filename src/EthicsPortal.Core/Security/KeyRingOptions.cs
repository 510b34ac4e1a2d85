namespace EthicsPortal.Core.Security;

public sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>The Data Protection key ring (and the receipt pepper beside it); never inside the database.</summary>
    public string KeyRingPath { get; set; } = "data/keys";
}
