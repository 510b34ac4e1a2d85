using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace EthicsPortal.Core.Sealing;

/// <summary>
/// The primitives sealed cases are built from (#16), from libsodium through NSec (and AES-GCM from .NET), nothing hand-written:
/// <list type="bullet">
/// <item>a member's key pair is X25519;</item>
/// <item>a case's content key (32 random bytes) is sealed to a member's public key: an ephemeral X25519 agreement,
/// HKDF-SHA256 over the shared secret bound to both public keys and to what is sealed (the context), and
/// XChaCha20-Poly1305 under the derived key (the construction of libsodium's sealed boxes and of HPKE's base mode);</item>
/// <item>content is XChaCha20-Poly1305 under the content key with a random 192-bit nonce, bound to its context; files
/// are AES-256-GCM from .NET under the same key (<see cref="EncryptFile"/>), for speed;</item>
/// <item>a member's private key is wrapped under Argon2id of their secret (<see cref="SecretWrap"/>);</item>
/// <item>a reporter's key is HKDF-SHA256 of their 120-bit receipt: enough entropy that no work factor is needed.</item>
/// </list>
/// A context ("case:C-XXXX|report") is authenticated with every ciphertext, so a sealed key or a ciphertext moved to
/// another case or field does not open there.
/// </summary>
public static class Seal
{
    public const int KeySize = 32;
    private static readonly KeyAgreementAlgorithm Agreement = KeyAgreementAlgorithm.X25519;
    private static readonly AeadAlgorithm Aead = AeadAlgorithm.XChaCha20Poly1305;
    private static readonly KeyDerivationAlgorithm Kdf = KeyDerivationAlgorithm.HkdfSha256;
    private static readonly byte[] SealLabel = "ethicsportal seal v1"u8.ToArray();
    private static readonly byte[] ReporterLabel = "ethicsportal reporter key v1"u8.ToArray();
    private static readonly byte[] CustodianLabel = "ethicsportal recovery custodian v1"u8.ToArray();
    private static readonly byte[] PasskeyLabel = "ethicsportal passkey wrap v1"u8.ToArray();

    /// <summary>
    /// What the portal asks every passkey to evaluate with the WebAuthn PRF extension: one fixed input, so the same
    /// passkey gives the same 32-byte secret at every sign-in, and no other site (another RP ID) can obtain it.
    /// </summary>
    public static readonly byte[] PasskeyPrfInput = SHA256.HashData("ethicsportal member key v1"u8);

    /// <summary>The size of a PRF output (HMAC-SHA-256 in the authenticator, CTAP2 hmac-secret).</summary>
    public const int PrfOutputSize = 32;

    /// <summary>A fresh member key pair; its private half may be exported only to be wrapped (<see cref="SecretWrap"/>).</summary>
    public static Key NewKeyPair() => Key.Create(Agreement, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    public static byte[] PublicKeyOf(Key keyPair) => keyPair.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public static byte[] ExportPrivate(Key keyPair) => keyPair.Export(KeyBlobFormat.RawPrivateKey);

    public static Key ImportPrivate(ReadOnlySpan<byte> raw)
        => Key.Import(Agreement, raw, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    /// <summary>A new random content key for one case (or one identity).</summary>
    public static byte[] NewContentKey() => RandomNumberGenerator.GetBytes(KeySize);

    /// <summary>
    /// Seals <paramref name="secret"/> (a content key) to one recipient: ephemeral public key (32) ‖ nonce (24) ‖
    /// ciphertext with tag. Only the holder of the recipient's private key opens it.
    /// </summary>
    public static byte[] To(ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> secret, string context)
    {
        using var ephemeral = Key.Create(Agreement);
        var recipient = PublicKey.Import(Agreement, recipientPublicKey, KeyBlobFormat.RawPublicKey);
        var ephemeralPublic = ephemeral.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        using var shared = Agreement.Agree(ephemeral, recipient) ?? throw new CryptographicException("The recipient's public key is not usable.");
        using var key = DeriveSealKey(shared, ephemeralPublic, recipientPublicKey, context);
        var nonce = RandomNumberGenerator.GetBytes(Aead.NonceSize);
        var ciphertext = Aead.Encrypt(key, nonce, Aad(context), secret);
        return [.. ephemeralPublic, .. nonce, .. ciphertext];
    }

    /// <summary>
    /// Seals one secret to several recipients with one ephemeral key (one scalar multiplication saved per recipient): each
    /// copy has its own shared secret, derived key and nonce, and opens with <see cref="Open"/> like a copy from <see cref="To"/>.
    /// The key derivation binds both public keys, so no copy opens for another recipient. Used at intake, which seals
    /// every concern to every member who may see it.
    /// </summary>
    public static IReadOnlyList<byte[]> ToEach(IReadOnlyList<byte[]> recipientPublicKeys, ReadOnlySpan<byte> secret, string context)
    {
        using var ephemeral = Key.Create(Agreement);
        var ephemeralPublic = ephemeral.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var copies = new List<byte[]>(recipientPublicKeys.Count);
        foreach (var recipientPublicKey in recipientPublicKeys)
        {
            var recipient = PublicKey.Import(Agreement, recipientPublicKey, KeyBlobFormat.RawPublicKey);
            using var shared = Agreement.Agree(ephemeral, recipient) ?? throw new CryptographicException("A recipient's public key is not usable.");
            using var key = DeriveSealKey(shared, ephemeralPublic, recipientPublicKey, context);
            var nonce = RandomNumberGenerator.GetBytes(Aead.NonceSize);
            copies.Add([.. ephemeralPublic, .. nonce, .. Aead.Encrypt(key, nonce, Aad(context), secret)]);
        }
        return copies;
    }

    /// <summary>Opens what <see cref="To"/> sealed; null when it was not sealed to this key or for this context, or was altered.</summary>
    public static byte[]? Open(Key recipient, ReadOnlySpan<byte> sealedSecret, string context)
    {
        var publicSize = Agreement.PublicKeySize;
        if (sealedSecret.Length < publicSize + Aead.NonceSize + Aead.TagSize)
            return null;
        if (!PublicKey.TryImport(Agreement, sealedSecret[..publicSize], KeyBlobFormat.RawPublicKey, out var ephemeral) || ephemeral is null)
            return null;
        using var shared = Agreement.Agree(recipient, ephemeral);
        if (shared is null)
            return null;
        using var key = DeriveSealKey(shared, sealedSecret[..publicSize], recipient.PublicKey.Export(KeyBlobFormat.RawPublicKey), context);
        var nonce = sealedSecret.Slice(publicSize, Aead.NonceSize);
        var ciphertext = sealedSecret[(publicSize + Aead.NonceSize)..];
        var plaintext = new byte[ciphertext.Length - Aead.TagSize];
        return Aead.Decrypt(key, nonce, Aad(context), ciphertext, plaintext) ? plaintext : null;
    }

    /// <summary>Content under a content key: nonce (24) ‖ ciphertext with tag, bound to <paramref name="context"/>.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> contentKey, ReadOnlySpan<byte> plaintext, string context)
    {
        using var key = ImportContentKey(contentKey);
        return Encrypt(key, plaintext, context);
    }

    /// <summary>Null when the key, the context or a byte is wrong.</summary>
    public static byte[]? Decrypt(ReadOnlySpan<byte> contentKey, ReadOnlySpan<byte> sealedContent, string context)
    {
        if (sealedContent.Length < Aead.NonceSize + Aead.TagSize)
            return null;
        using var key = ImportContentKey(contentKey);
        return Decrypt(key, sealedContent, context);
    }

    /// <summary>
    /// A content key as libsodium's AEAD key, imported once for the many fields of one page (each import allocates
    /// guarded memory); the caller disposes it, or the collector frees and zeroes it.
    /// </summary>
    internal static Key ImportContentKey(ReadOnlySpan<byte> contentKey) => Key.Import(Aead, contentKey, KeyBlobFormat.RawSymmetricKey);

    internal static byte[] Encrypt(Key contentKey, ReadOnlySpan<byte> plaintext, string context)
    {
        var nonce = RandomNumberGenerator.GetBytes(Aead.NonceSize);
        return [.. nonce, .. Aead.Encrypt(contentKey, nonce, Aad(context), plaintext)];
    }

    internal static byte[]? Decrypt(Key contentKey, ReadOnlySpan<byte> sealedContent, string context)
    {
        if (sealedContent.Length < Aead.NonceSize + Aead.TagSize)
            return null;
        var plaintext = new byte[sealedContent.Length - Aead.NonceSize - Aead.TagSize];
        return Aead.Decrypt(contentKey, sealedContent[..Aead.NonceSize], Aad(context), sealedContent[Aead.NonceSize..], plaintext) ? plaintext : null;
    }

    private static readonly byte[] FileMagic = "EPg1"u8.ToArray();
    private const int GcmNonceSize = 12, GcmTagSize = 16;

    /// <summary>
    /// A file (the one large field) under a content key: "EPg1" ‖ nonce (12) ‖ ciphertext ‖ tag (16), AES-256-GCM from
    /// .NET (OpenSSL's, with the CPU's AES and carry-less multiply instructions), bound to <paramref name="context"/>. It
    /// decrypts 10 MB several times faster than XChaCha20-Poly1305 through libsodium here; a case key encrypts a
    /// handful of files, far below the 2^32 a random 96-bit nonce allows. Where the platform has no AES-GCM, XChaCha20-Poly1305.
    /// </summary>
    internal static byte[] EncryptFile(ReadOnlySpan<byte> contentKey, Key imported, ReadOnlySpan<byte> plaintext, string context)
    {
        if (!AesGcm.IsSupported)
            return Encrypt(imported, plaintext, context);
        var sealedFile = new byte[FileMagic.Length + GcmNonceSize + plaintext.Length + GcmTagSize];
        var span = sealedFile.AsSpan();
        FileMagic.CopyTo(span);
        var nonce = span.Slice(FileMagic.Length, GcmNonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(contentKey, GcmTagSize);
        gcm.Encrypt(nonce, plaintext, span.Slice(FileMagic.Length + GcmNonceSize, plaintext.Length), span[^GcmTagSize..], Aad(context));
        return sealedFile;
    }

    /// <summary>Null when the key, the context or a byte is wrong; a file sealed before AES-GCM (XChaCha20-Poly1305) still opens.</summary>
    internal static byte[]? DecryptFile(ReadOnlySpan<byte> contentKey, Key imported, ReadOnlySpan<byte> sealedFile, string context)
    {
        if (AesGcm.IsSupported && sealedFile.Length >= FileMagic.Length + GcmNonceSize + GcmTagSize && sealedFile.StartsWith(FileMagic))
        {
            var nonce = sealedFile.Slice(FileMagic.Length, GcmNonceSize);
            var ciphertext = sealedFile[(FileMagic.Length + GcmNonceSize)..^GcmTagSize];
            var plaintext = new byte[ciphertext.Length];
            using var gcm = new AesGcm(contentKey, GcmTagSize);
            try
            {
                gcm.Decrypt(nonce, ciphertext, sealedFile[^GcmTagSize..], plaintext, Aad(context));
                return plaintext;
            }
            catch (AuthenticationTagMismatchException)
            {
                // Four bytes of an older file's random nonce can spell the marker: then it is XChaCha20-Poly1305.
            }
        }
        return Decrypt(imported, sealedFile, context);
    }

    /// <summary>
    /// The reporter's symmetric key for one case, from the receipt as typed (case and separators ignored). The receipt
    /// carries 120 random bits, so a fast KDF is as strong as a slow one; the case reference is the salt.
    /// </summary>
    public static byte[] ReporterKey(string receipt, string caseReference)
    {
        var normalized = new string(receipt.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return Kdf.DeriveBytes(Encoding.ASCII.GetBytes(normalized), Encoding.UTF8.GetBytes(caseReference), ReporterLabel, KeySize);
    }

    /// <summary>
    /// A recovery custodian's key pair, from their printed code (160 random bits, normalized) and their place in the
    /// quorum: like the receipt, the code has entropy enough for a fast KDF.
    /// </summary>
    public static Key CustodianKey(string normalizedCode, int position)
    {
        var raw = Kdf.DeriveBytes(Encoding.ASCII.GetBytes(normalizedCode), Encoding.UTF8.GetBytes($"custodian {position}"), CustodianLabel, KeySize);
        try
        {
            return ImportPrivate(raw);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    /// <summary>
    /// The key a member's private key is wrapped under for one passkey: HKDF-SHA256 of the passkey's PRF output, salted
    /// with its credential id and bound to the member. The PRF output is 256 bits from the authenticator's secret, so no
    /// work factor is needed; the server never sees the authenticator's secret, only this output during a sign-in.
    /// </summary>
    public static byte[] PasskeyWrapKey(ReadOnlySpan<byte> prfOutput, ReadOnlySpan<byte> credentialId, string userId)
    {
        if (prfOutput.Length != PrfOutputSize)
            throw new ArgumentException("A PRF output is 32 bytes.", nameof(prfOutput));
        return Kdf.DeriveBytes(prfOutput, credentialId, [.. PasskeyLabel, .. Aad(userId)], KeySize);
    }

    private static Key DeriveSealKey(SharedSecret shared, ReadOnlySpan<byte> ephemeralPublic, ReadOnlySpan<byte> recipientPublic, string context)
        => Kdf.DeriveKey(shared, [.. ephemeralPublic, .. recipientPublic], [.. SealLabel, .. Aad(context)], Aead);

    private static byte[] Aad(string context) => Encoding.UTF8.GetBytes(context);
}
