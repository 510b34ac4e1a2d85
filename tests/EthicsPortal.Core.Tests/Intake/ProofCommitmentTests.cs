using System.Security.Cryptography;
using System.Text.Json;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Intake;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Intake;

/// <summary>#15 L1: what the database keeps about a concern's content confirms no guess; the reporter's proof does.</summary>
public sealed class ProofCommitmentTests
{
    [Fact]
    public async Task StoredCommitment_ConfirmsNoGuessWithoutTheProofsSalt_AndTheProofRecomputesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync();
        const string text = "The ministry keeps recordings of civilians in bucket gov-intercepts.";
        var submitted = await db.Get<IntakeService>().SubmitAsync(new ConcernSubmission("Ministry of Interior", "cloud-storage", "mass-surveillance",
            text, "", HowKnown.SawIt, OngoingHarm.Yes, "", [], null, []), ct);
        var proof = submitted.Value!.Proof;
        await using var ctx = await db.ContextAsync();
        var stored = await ctx.Cases.Where(c => c.Reference == proof.Case).Select(c => c.ContentSha256).SingleAsync(ct);

        // An attacker with the database and the right guess, hashing it as the first release did: no match.
        var report = new CaseReport("Ministry of Interior", text, "", HowKnown.SawIt, "");
        var plain = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(report)));
        Assert.NotEqual(plain, stored);
        // The salt is nowhere in the database; with it (from the proof) the commitment is recomputed from the content.
        var salt = Convert.FromBase64String(proof.Salt);
        Assert.Equal(32, salt.Length);
        Assert.Equal(stored, proof.ContentCommitment);
        Assert.Equal(stored, Convert.ToHexStringLower(HMACSHA256.HashData(salt, JsonSerializer.SerializeToUtf8Bytes(report))));
        var files = new[] { db.DatabasePath, db.DatabasePath + "-wal" }.Where(File.Exists).Select(f => Convert.ToHexString(File.ReadAllBytes(f)));
        Assert.All(files, bytes => Assert.DoesNotContain(Convert.ToHexString(salt), bytes, StringComparison.Ordinal));
        Assert.NotNull(db.Get<SubmissionProofs>().Verify(SubmissionProofs.ToJson(proof)));
        Assert.Null(db.Get<SubmissionProofs>().Verify(SubmissionProofs.ToJson(proof with { Salt = Convert.ToBase64String(new byte[32]) })));
    }
}
