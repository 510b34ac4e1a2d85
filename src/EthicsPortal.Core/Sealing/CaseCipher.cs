using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EthicsPortal.Core.Sealing;

/// <summary>What a sealed value is; part of its context, so a ciphertext of one field never opens as another.</summary>
public enum SealedField { Report, Identity, AttachmentName, Attachment, Message }

/// <summary>
/// An opened case key, for as long as one request or one page needs it: encrypts and decrypts that case's content,
/// bound to the case reference and the field (XChaCha20-Poly1305, <see cref="Seal.Encrypt"/>).
/// </summary>
public sealed class CaseCipher
{
    private readonly byte[] _key;
    private NSec.Cryptography.Key? _imported;   // imported once: a page decrypts a dozen fields with it

    internal CaseCipher(string reference, byte[] key)
    {
        Reference = reference;
        _key = key;
    }

    public string Reference { get; }

    /// <summary>Zeroes the key, for a cipher nobody keeps (the upgrade's, one per case).</summary>
    internal void Forget()
    {
        CryptographicOperations.ZeroMemory(_key);
        _imported?.Dispose();
    }
    internal ReadOnlySpan<byte> Key => _key;

    private string Context(SealedField field) => $"case:{Reference}|{field}";

    private NSec.Cryptography.Key Imported => _imported ??= Seal.ImportContentKey(_key);

    /// <summary>Fields under XChaCha20-Poly1305; files (<see cref="SealedField.Attachment"/>) under AES-256-GCM, for speed (<see cref="Seal.EncryptFile"/>).</summary>
    public byte[] Encrypt(SealedField field, ReadOnlySpan<byte> plaintext)
        => field == SealedField.Attachment ? Seal.EncryptFile(_key, Imported, plaintext, Context(field)) : Seal.Encrypt(Imported, plaintext, Context(field));

    public byte[] Decrypt(SealedField field, byte[] ciphertext)
        => (field == SealedField.Attachment ? Seal.DecryptFile(_key, Imported, ciphertext, Context(field)) : Seal.Decrypt(Imported, ciphertext, Context(field)))
            ?? throw new CryptographicException($"A sealed {field} of {Reference} does not open under its key.");

    public byte[] EncryptText(SealedField field, string text) => Encrypt(field, Encoding.UTF8.GetBytes(text));
    public string DecryptText(SealedField field, byte[] ciphertext) => Encoding.UTF8.GetString(Decrypt(field, ciphertext));
    public byte[] EncryptJson<T>(SealedField field, T value) => Encrypt(field, JsonSerializer.SerializeToUtf8Bytes(value));

    public T DecryptJson<T>(SealedField field, byte[] ciphertext)
        => JsonSerializer.Deserialize<T>(Decrypt(field, ciphertext)) ?? throw new InvalidDataException("Empty sealed value.");
}
