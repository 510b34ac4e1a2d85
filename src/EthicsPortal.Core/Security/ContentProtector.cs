using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace EthicsPortal.Core.Security;

/// <summary>What is being protected: each kind has its own Data Protection purpose, so a ciphertext of one
/// kind can never be decrypted as another.</summary>
public enum ProtectedKind { Report, Identity, AttachmentName, AttachmentContent, Message }

/// <summary>Encryption at rest for report content, identities, attachments and messages (ASP.NET Core Data Protection).</summary>
public sealed class ContentProtector(IDataProtectionProvider provider)
{
    private readonly Dictionary<ProtectedKind, IDataProtector> _protectors = Enum.GetValues<ProtectedKind>()
        .ToDictionary(k => k, k => provider.CreateProtector($"EthicsPortal.{k}.v1"));

    public byte[] Protect(ProtectedKind kind, byte[] plaintext) => _protectors[kind].Protect(plaintext);

    public byte[] Unprotect(ProtectedKind kind, byte[] ciphertext) => _protectors[kind].Unprotect(ciphertext);

    public byte[] ProtectText(ProtectedKind kind, string text) => Protect(kind, Encoding.UTF8.GetBytes(text));

    public string UnprotectText(ProtectedKind kind, byte[] ciphertext) => Encoding.UTF8.GetString(Unprotect(kind, ciphertext));

    public byte[] ProtectJson<T>(ProtectedKind kind, T value) => Protect(kind, JsonSerializer.SerializeToUtf8Bytes(value));

    public T UnprotectJson<T>(ProtectedKind kind, byte[] ciphertext)
        => JsonSerializer.Deserialize<T>(Unprotect(kind, ciphertext)) ?? throw new InvalidDataException("Empty protected value.");
}
