using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.Security;

/// <summary>
/// A signed statement the reporter may keep: this case number was received at this time with content of this
/// commitment, an HMAC-SHA256 of the content under a random salt that only the proof carries. With the proof and the
/// content, anyone recomputes the commitment; with a backup of the database and a guessed text, nobody can confirm the
/// guess, because the server never stored the salt (#15 L1). ECDSA P-256 (ES256) from the BCL; the private key is
/// stored encrypted under the Data Protection key ring. Anyone can check a proof at /verify, or offline with the
/// published public key.
/// </summary>
public sealed class SubmissionProofs
{
    private readonly Lazy<ECDsa> _key;

    public SubmissionProofs(IOptions<KeyRingOptions> options, IDataProtectionProvider dataProtection)
    {
        var protector = dataProtection.CreateProtector("EthicsPortal.ProofSigningKey.v1");
        var path = Path.Combine(options.Value.KeyRingPath, "proof-signing-key.bin");
        _key = new Lazy<ECDsa>(() =>
        {
            var stored = KeyFiles.LoadOrCreate(path, () =>
            {
                using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                return protector.Protect(fresh.ExportPkcs8PrivateKey());
            });
            var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(protector.Unprotect(stored), out _);
            return key;
        });
    }

    public string PublicKeyPem => _key.Value.ExportSubjectPublicKeyInfoPem();

    public SubmissionProof Create(string caseReference, DateTimeOffset submittedAt, string commitment, string salt)
    {
        var proof = new SubmissionProof(caseReference, submittedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            commitment, salt, "");
        var signature = _key.Value.SignData(Encoding.UTF8.GetBytes(proof.SignedText), HashAlgorithmName.SHA256);
        return proof with { Signature = Convert.ToBase64String(signature) };
    }

    /// <summary>Checks a proof document as the reporter downloaded it; null when it does not hold.</summary>
    public SubmissionProof? Verify(string json)
    {
        SubmissionProof? proof;
        try
        {
            proof = JsonSerializer.Deserialize<SubmissionProof>(json);
        }
        catch (JsonException)
        {
            return null;
        }
        if (proof is null || string.IsNullOrEmpty(proof.Signature))
            return null;
        Span<byte> signature = stackalloc byte[256];
        if (!Convert.TryFromBase64String(proof.Signature, signature, out var length))
            return null;
        return _key.Value.VerifyData(Encoding.UTF8.GetBytes(proof.SignedText), signature[..length], HashAlgorithmName.SHA256) ? proof : null;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string ToJson(SubmissionProof proof) => JsonSerializer.Serialize(proof, Indented);
}

public sealed record SubmissionProof(
    [property: JsonPropertyName("case")] string Case,
    [property: JsonPropertyName("submittedAt")] string SubmittedAt,
    [property: JsonPropertyName("contentCommitment")] string ContentCommitment,
    [property: JsonPropertyName("salt")] string Salt,
    [property: JsonPropertyName("signature")] string Signature)
{
    [JsonPropertyName("statement")]
    public string Statement => $"EthicsPortal received concern {Case} at {SubmittedAt} (UTC); commitment to its content (HMAC-SHA256 under this proof's salt): {ContentCommitment}.";

    /// <summary>Exactly what is signed: versioned, one field a line.</summary>
    [JsonIgnore]
    public string SignedText => $"ethicsportal-proof-v2\n{Case}\n{SubmittedAt}\n{ContentCommitment}\n{Salt}";
}
