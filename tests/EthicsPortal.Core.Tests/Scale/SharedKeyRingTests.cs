using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Tests.Scale;

/// <summary>Instances share one key ring directory; with a certificate configured, the keys in it are encrypted at rest.</summary>
public sealed class SharedKeyRingTests
{
    [Fact]
    public async Task KeysAreEncryptedWithTheCertificate_AndAnotherInstanceReadsWhatTheFirstProtected()
    {
        var folder = Directory.CreateTempSubdirectory("ep-cert-").FullName;
        try
        {
            using (var rsa = RSA.Create(2048))
            {
                var request = new CertificateRequest("CN=EthicsPortal key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
                await File.WriteAllBytesAsync(Path.Combine(folder, "keyring.pfx"), certificate.Export(X509ContentType.Pfx, "test-password"),
                    TestContext.Current.CancellationToken);
            }
            var settings = new Dictionary<string, string?>
            {
                ["DataProtection:CertificatePath"] = Path.Combine(folder, "keyring.pfx"),
                ["DataProtection:CertificatePassword"] = "test-password",
            };
            await using var db = await TestDatabase.CreateAsync(settings: settings);
            await using var other = db.OpenAnotherInstance(settings: settings);

            var secret = db.Get<IDataProtectionProvider>().CreateProtector("EthicsPortal.Test").Protect("A session cookie's payload.");
            var read = other.GetRequiredService<IDataProtectionProvider>().CreateProtector("EthicsPortal.Test").Unprotect(secret);

            Assert.Equal("A session cookie's payload.", read);
            var keys = Directory.GetFiles(Path.Combine(db.Folder, "keys"), "key-*.xml");
            Assert.NotEmpty(keys);
            foreach (var key in keys)
            {
                var xml = await File.ReadAllTextAsync(key, TestContext.Current.CancellationToken);
                Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);        // wrapped for the certificate
                Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);     // no key material in clear
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
