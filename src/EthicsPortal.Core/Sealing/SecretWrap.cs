using System.Buffers.Binary;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace EthicsPortal.Core.Sealing;

/// <summary>How hard a member's secret is stretched before it unwraps their private key (Argon2id).</summary>
public sealed class SecretWrapOptions
{
    public const string Section = "Sealing:Argon2id";

    /// <summary>
    /// Memory in KiB and passes. OWASP's floor for Argon2id is 19 MiB with 2 passes (or 46 MiB with 1); the default is
    /// above it. libsodium runs one lane only.
    /// </summary>
    public long MemoryKiB { get; set; } = 64 * 1024;

    public long Passes { get; set; } = 3;
}

/// <summary>
/// A private key (or any short secret) wrapped under Argon2id of a member's secret: a password, an unlock
/// passphrase or a recovery code. The parameters travel with the wrap, so raising them later still opens old wraps.
/// Layout: version (1) ‖ memory KiB (4) ‖ passes (4) ‖ salt (16) ‖ nonce (24) ‖ ciphertext with tag.
/// </summary>
public static class SecretWrap
{
    private const byte Version = 1;
    private const int SaltSize = 16;
    private const int Header = 1 + 4 + 4 + SaltSize;
    private static readonly AeadAlgorithm Aead = AeadAlgorithm.XChaCha20Poly1305;
    private const long MaxMemoryKiB = 1024 * 1024;
    private const long MaxPasses = 16;

    public static byte[] Wrap(ReadOnlySpan<byte> secret, string memberSecret, SecretWrapOptions options, string context)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        using var key = Derive(memberSecret, salt, options.MemoryKiB, options.Passes);
        var nonce = RandomNumberGenerator.GetBytes(Aead.NonceSize);
        var header = new byte[Header];
        header[0] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), checked((uint)options.MemoryKiB));
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(5), checked((uint)options.Passes));
        salt.CopyTo(header.AsSpan(9));
        // The header is authenticated too: lowering the parameters stored beside a wrap breaks it.
        var ciphertext = Aead.Encrypt(key, nonce, [.. header, .. System.Text.Encoding.UTF8.GetBytes(context)], secret);
        return [.. header, .. nonce, .. ciphertext];
    }

    /// <summary>Null when the secret, the context or a byte is wrong.</summary>
    public static byte[]? Unwrap(ReadOnlySpan<byte> wrapped, string memberSecret, string context)
    {
        if (wrapped.Length < Header + Aead.NonceSize + Aead.TagSize || wrapped[0] != Version)
            return null;
        var memory = BinaryPrimitives.ReadUInt32BigEndian(wrapped[1..]);
        var passes = BinaryPrimitives.ReadUInt32BigEndian(wrapped[5..]);
        if (memory > MaxMemoryKiB || passes > MaxPasses)
            return null;   // parameters someone wrote into the database to make an unlock cost minutes and gigabytes
        using var key = Derive(memberSecret, wrapped.Slice(9, SaltSize), memory, passes);
        var ciphertext = wrapped[(Header + Aead.NonceSize)..];
        var plaintext = new byte[ciphertext.Length - Aead.TagSize];
        return Aead.Decrypt(key, wrapped.Slice(Header, Aead.NonceSize), [.. wrapped[..Header], .. System.Text.Encoding.UTF8.GetBytes(context)], ciphertext, plaintext)
            ? plaintext : null;
    }

    private static Key Derive(string memberSecret, ReadOnlySpan<byte> salt, long memoryKiB, long passes)
    {
        var argon = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = 1,
            MemorySize = memoryKiB,
            NumberOfPasses = passes,
        });
        return argon.DeriveKey(memberSecret, salt, Aead);
    }
}
