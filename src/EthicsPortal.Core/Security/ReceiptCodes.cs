using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.Security;

/// <summary>
/// Receipts: 120 random bits from the CSPRNG, written as 24 Crockford base-32 characters in groups of four
/// (no I, L, O or U, so nothing is misread). Only an HMAC-SHA256 under a server pepper is stored
/// (ASVS 5.0 6.5.2); the pepper lives beside the key ring, outside the database, so a stolen database alone
/// cannot be searched for a receipt.
/// </summary>
public sealed class ReceiptCodes
{
    public const int RandomBytes = 15;          // 120 bits
    public const int Length = 24;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private readonly Lazy<byte[]> _pepper;

    public ReceiptCodes(IOptions<KeyRingOptions> options)
        => _pepper = new Lazy<byte[]>(() => KeyFiles.LoadOrCreate(Path.Combine(options.Value.KeyRingPath, "receipt-pepper.bin"), () => RandomNumberGenerator.GetBytes(32)));

    /// <summary>A new receipt, formatted for reading: XXXX-XXXX-XXXX-XXXX-XXXX-XXXX.</summary>
    public static string NewReceipt() => Encode(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>Bytes in the receipt alphabet, in groups of four (also the recovery custodians' codes).</summary>
    internal static string Encode(byte[] bytes)
    {
        var chars = new StringBuilder(bytes.Length * 2);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                if (chars.Length > 0 && (chars.Length + 1) % 5 == 0)
                    chars.Append('-');
                chars.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return chars.ToString();
    }

    /// <summary>Reads what a person typed: case, spaces and dashes do not matter; O reads as 0, I and L as 1.</summary>
    public static string? Normalize(string? input) => NormalizeTo(input, Length);

    /// <summary><see cref="Normalize"/> for a code of <paramref name="length"/> characters.</summary>
    internal static string? NormalizeTo(string? input, int length)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 2 * length + 16)
            return null;
        var sb = new StringBuilder(length);
        foreach (var ch in input.ToUpperInvariant())
        {
            if (ch is ' ' or '-' or '\t')
                continue;
            var c = ch switch { 'O' => '0', 'I' or 'L' => '1', _ => ch };
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
                return null;
            sb.Append(c);
        }
        return sb.Length == length ? sb.ToString() : null;
    }

    /// <summary>The stored form; null when the input cannot be a receipt at all.</summary>
    public byte[]? Hash(string? receipt)
    {
        var normalized = Normalize(receipt);
        return normalized is null ? null : HMACSHA256.HashData(_pepper.Value, Encoding.ASCII.GetBytes(normalized));
    }
}
