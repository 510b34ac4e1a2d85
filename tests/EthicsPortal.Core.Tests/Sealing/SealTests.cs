using System.Text;
using EthicsPortal.Core.Sealing;

namespace EthicsPortal.Core.Tests.Sealing;

/// <summary>The #16 primitives: what is sealed opens only with the right key, for the right context, unaltered.</summary>
public class SealTests
{
    private const string Context = "case:C-7K2M-9QXT|content-key";

    [Fact]
    public void ASealedKey_OpensForItsRecipientOnly_AndOnlyInItsContext()
    {
        using var member = Seal.NewKeyPair();
        using var other = Seal.NewKeyPair();
        var contentKey = Seal.NewContentKey();

        var sealedKey = Seal.To(Seal.PublicKeyOf(member), contentKey, Context);

        Assert.Equal(contentKey, Seal.Open(member, sealedKey, Context));
        Assert.Null(Seal.Open(other, sealedKey, Context));
        Assert.Null(Seal.Open(member, sealedKey, "case:C-OTHER-CASE|content-key"));   // moved to another case
        for (var i = 0; i < sealedKey.Length; i += 7)
        {
            var altered = sealedKey.ToArray();
            altered[i] ^= 0x20;
            Assert.Null(Seal.Open(member, altered, Context));
        }
        Assert.NotEqual(sealedKey, Seal.To(Seal.PublicKeyOf(member), contentKey, Context));   // a fresh ephemeral key each time
    }

    [Fact]
    public void ToEach_SealsOneKeyToSeveralMembers_EachCopyOpensForItsOwnRecipientOnly()
    {
        using var first = Seal.NewKeyPair();
        using var second = Seal.NewKeyPair();
        using var outsider = Seal.NewKeyPair();
        var contentKey = Seal.NewContentKey();

        var copies = Seal.ToEach([Seal.PublicKeyOf(first), Seal.PublicKeyOf(second)], contentKey, Context);

        Assert.Equal(2, copies.Count);
        Assert.Equal(contentKey, Seal.Open(first, copies[0], Context));
        Assert.Equal(contentKey, Seal.Open(second, copies[1], Context));
        Assert.Null(Seal.Open(second, copies[0], Context));   // one ephemeral key, but each copy is bound to its recipient
        Assert.Null(Seal.Open(first, copies[1], Context));
        Assert.Null(Seal.Open(outsider, copies[0], Context));
        Assert.Null(Seal.Open(first, copies[0], "case:C-OTHER-CASE|content-key"));
    }

    [Fact]
    public void Content_DecryptsWithItsKeyAndContextOnly_AndHidesItsText()
    {
        var key = Seal.NewContentKey();
        var text = Encoding.UTF8.GetBytes("The ministry stores recordings of civilians in bucket gov-intercepts.");

        var sealedText = Seal.Encrypt(key, text, "case:C-7K2M-9QXT|report");

        Assert.Equal(-1, sealedText.AsSpan().IndexOf("gov-intercepts"u8));
        Assert.Equal(text, Seal.Decrypt(key, sealedText, "case:C-7K2M-9QXT|report"));
        Assert.Null(Seal.Decrypt(key, sealedText, "case:C-7K2M-9QXT|message"));
        Assert.Null(Seal.Decrypt(Seal.NewContentKey(), sealedText, "case:C-7K2M-9QXT|report"));
    }

    [Fact]
    public void TheReportersKey_ComesFromTheReceiptAsTyped_AndDiffersPerCase()
    {
        var key = Seal.ReporterKey("AB12-CD34-EF56-GH78-JK90-MN12", "C-7K2M-9QXT");

        Assert.Equal(key, Seal.ReporterKey("ab12cd34 ef56gh78jk90mn12", "C-7K2M-9QXT"));
        Assert.NotEqual(key, Seal.ReporterKey("AB12-CD34-EF56-GH78-JK90-MN13", "C-7K2M-9QXT"));
        Assert.NotEqual(key, Seal.ReporterKey("AB12-CD34-EF56-GH78-JK90-MN12", "C-OTHER-CASE"));
        Assert.Equal(Seal.KeySize, key.Length);
    }

    [Fact]
    public void APrivateKey_WrappedUnderASecret_UnwrapsWithThatSecretOnly_AndKeepsItsParameters()
    {
        using var member = Seal.NewKeyPair();
        var raw = Seal.ExportPrivate(member);
        var options = new SecretWrapOptions { MemoryKiB = 19 * 1024, Passes = 2 };

        var wrapped = SecretWrap.Wrap(raw, "correct horse battery staple", options, "member:42|private-key");

        Assert.Equal(raw, SecretWrap.Unwrap(wrapped, "correct horse battery staple", "member:42|private-key"));
        Assert.Null(SecretWrap.Unwrap(wrapped, "correct horse battery stapler", "member:42|private-key"));
        Assert.Null(SecretWrap.Unwrap(wrapped, "correct horse battery staple", "member:43|private-key"));
        var weakened = wrapped.ToArray();
        weakened[4] = 1;   // someone with the database lowers the memory cost stored beside the wrap
        Assert.Null(SecretWrap.Unwrap(weakened, "correct horse battery staple", "member:42|private-key"));
        using var back = Seal.ImportPrivate(SecretWrap.Unwrap(wrapped, "correct horse battery staple", "member:42|private-key")!);
        Assert.Equal(Seal.PublicKeyOf(member), Seal.PublicKeyOf(back));
    }

    [Fact]
    public void TheShippedArgon2idParameters_AreAboveOwaspsFloor_AndTravelWithTheWrap()
    {
        var options = new SecretWrapOptions();
        var wrapped = SecretWrap.Wrap(new byte[32], "a passphrase", options, "probe");

        Assert.True(options.MemoryKiB >= 19 * 1024 && options.Passes >= 2, "below OWASP's floor for Argon2id");
        Assert.Equal(options.MemoryKiB, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(wrapped.AsSpan(1)));
        Assert.Equal(options.Passes, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(wrapped.AsSpan(5)));
    }

    [Fact]
    public void APasskeysWrapKey_IsFixedForThatPasskeyAndMember_AndDiffersForAnyOther()
    {
        var prf = System.Security.Cryptography.RandomNumberGenerator.GetBytes(Seal.PrfOutputSize);
        byte[] credential = [1, 2, 3, 4];

        var key = Seal.PasskeyWrapKey(prf, credential, "member-a");

        Assert.Equal(key, Seal.PasskeyWrapKey(prf, credential, "member-a"));
        Assert.NotEqual(key, Seal.PasskeyWrapKey(prf, credential, "member-b"));
        Assert.NotEqual(key, Seal.PasskeyWrapKey(prf, [1, 2, 3, 5], "member-a"));
        Assert.NotEqual(prf, key);
        Assert.Throws<ArgumentException>(() => Seal.PasskeyWrapKey(prf.AsSpan(0, 16), credential, "member-a"));
        Assert.Equal(32, Seal.PasskeyPrfInput.Length);
    }

    [Fact]
    public void TwoOfThreeCustodians_Recover_OneDoesNot()
    {
        using var chair = Seal.NewKeyPair();
        using var dpo = Seal.NewKeyPair();
        using var board = Seal.NewKeyPair();
        byte[][] publicKeys = [Seal.PublicKeyOf(chair), Seal.PublicKeyOf(dpo), Seal.PublicKeyOf(board)];
        var recoveryKey = Seal.NewContentKey();

        var shares = Quorum.Split(recoveryKey, publicKeys, 2, "recovery");

        Assert.Equal(3, shares.Count);
        Assert.Equal(recoveryKey, Quorum.Recover(shares, new Dictionary<int, NSec.Cryptography.Key> { [0] = chair, [2] = board }, "recovery"));
        Assert.Equal(recoveryKey, Quorum.Recover(shares, new Dictionary<int, NSec.Cryptography.Key> { [1] = dpo, [2] = board }, "recovery"));
        Assert.Null(Quorum.Recover(shares, new Dictionary<int, NSec.Cryptography.Key> { [1] = dpo }, "recovery"));
        // One custodian opens the outer layer of their sets, and finds only another seal inside.
        var outer = Seal.Open(chair, shares.Single(s => s.Custodians.SequenceEqual([0, 1])).Sealed, "recovery|layer 1 of 2");
        Assert.NotNull(outer);
        Assert.Equal(-1, outer.AsSpan().IndexOf(recoveryKey));
        Assert.Null(Quorum.Recover(shares, new Dictionary<int, NSec.Cryptography.Key> { [0] = chair, [1] = dpo }, "other"));
    }

    [Fact]
    public void ThreeOfFive_NeedsAllThreeOfAnySet()
    {
        var keys = Enumerable.Range(0, 5).Select(_ => Seal.NewKeyPair()).ToList();
        var secret = Seal.NewContentKey();
        var shares = Quorum.Split(secret, keys.Select(Seal.PublicKeyOf).ToList(), 3, "recovery");

        Assert.Equal(10, shares.Count);
        Assert.Equal(secret, Quorum.Recover(shares, new Dictionary<int, NSec.Cryptography.Key> { [1] = keys[1], [3] = keys[3], [4] = keys[4] }, "recovery"));
        Assert.Null(Quorum.Recover(shares, new Dictionary<int, NSec.Cryptography.Key> { [0] = keys[0], [4] = keys[4] }, "recovery"));
        keys.ForEach(k => k.Dispose());
    }

    [Fact]
    public void AFile_IsAes256Gcm_OpensOnlyWithItsKeyInItsCaseAndField_AndAnOlderXChaChaFileStillOpens()
    {
        var key = Seal.NewContentKey();
        var cipher = new CaseCipher("C-7K2M-9QXT", key);
        var file = System.Security.Cryptography.RandomNumberGenerator.GetBytes(100_000);

        var sealedFile = cipher.Encrypt(SealedField.Attachment, file);
        Assert.Equal("EPg1"u8.ToArray(), sealedFile[..4]);
        Assert.Equal(4 + 12 + file.Length + 16, sealedFile.Length);
        Assert.Equal(file, cipher.Decrypt(SealedField.Attachment, sealedFile));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => new CaseCipher("C-OTHER-CASE", key).Decrypt(SealedField.Attachment, sealedFile));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => new CaseCipher("C-7K2M-9QXT", Seal.NewContentKey()).Decrypt(SealedField.Attachment, sealedFile));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => cipher.Decrypt(SealedField.Message, sealedFile));
        var altered = (byte[])sealedFile.Clone();
        altered[5000] ^= 1;
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => cipher.Decrypt(SealedField.Attachment, altered));

        // A file sealed by the build before (XChaCha20-Poly1305 under the same key and context), even one whose random nonce starts with the marker.
        var older = Seal.Encrypt(key, file, "case:C-7K2M-9QXT|Attachment");
        Assert.Equal(file, cipher.Decrypt(SealedField.Attachment, older));
        "EPg1"u8.CopyTo(older);
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => cipher.Decrypt(SealedField.Attachment, older));   // altered nonce: nothing opens
    }
}
