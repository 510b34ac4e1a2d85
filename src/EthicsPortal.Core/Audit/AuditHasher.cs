using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EthicsPortal.Core.Audit;

/// <summary>The canonical form and hash of an entry; the writer and the verifier must agree on it byte for byte.</summary>
public static class AuditHasher
{
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>A JSON array of the fields: unambiguous, whatever characters the fields hold.</summary>
    public static string Canonical(AuditEntry entry) => JsonSerializer.Serialize(new object?[]
    {
        entry.Sequence,
        entry.OccurredAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        entry.Actor,
        entry.Action,
        entry.Subject,
        entry.Details,
    });

    public static string Compute(string previousHash, AuditEntry entry)
    {
        var bytes = Encoding.UTF8.GetBytes(previousHash + "\n" + Canonical(entry));
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
