using EthicsPortal.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Audit;

public class AuditChainTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<TestDatabase> WithEntriesAsync(int count)
    {
        var db = await TestDatabase.CreateAsync();
        var log = db.Get<AuditLog>();
        for (var i = 1; i <= count; i++)
        {
            await log.AppendAsync(new AuditRecord(AuditActors.Staff("u1"), "case.viewed", $"case:{i}", $"entry {i}"), Ct);
            db.Time.Advance(TimeSpan.FromMinutes(1));
        }
        return db;
    }

    [Fact]
    public async Task Verify_UntouchedChain_IsIntact()
    {
        await using var db = await WithEntriesAsync(5);

        var result = await db.Get<AuditVerifier>().VerifyAsync(Ct);

        Assert.True(result.IsIntact, result.Message);
        Assert.Equal(5, result.EntriesChecked);
    }

    [Fact]
    public async Task Append_LinksEachEntryToThePreviousHash()
    {
        await using var db = await WithEntriesAsync(3);
        await using var ctx = await db.ContextAsync();

        var entries = await ctx.AuditEntries.OrderBy(e => e.Sequence).ToListAsync(Ct);

        Assert.Equal(AuditHasher.GenesisHash, entries[0].PreviousHash);
        Assert.Equal(entries[0].Hash, entries[1].PreviousHash);
        Assert.Equal(entries[1].Hash, entries[2].PreviousHash);
        Assert.Equal([1L, 2L, 3L], entries.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Verify_EditedEntry_NamesItAsEdited()
    {
        await using var db = await WithEntriesAsync(5);
        await db.ExecuteAsync("UPDATE \"AuditEntries\" SET \"Details\" = 'nothing to see' WHERE \"Sequence\" = 3");

        var result = await db.Get<AuditVerifier>().VerifyAsync(Ct);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Equal(AuditProblem.Edited, result.Problem);
    }

    [Fact]
    public async Task Verify_DeletedEntry_NamesTheEntryAfterTheGap()
    {
        await using var db = await WithEntriesAsync(5);
        await db.ExecuteAsync("DELETE FROM \"AuditEntries\" WHERE \"Sequence\" = 3");

        var result = await db.Get<AuditVerifier>().VerifyAsync(Ct);

        Assert.False(result.IsIntact);
        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Equal(AuditProblem.Missing, result.Problem);
    }

    [Fact]
    public async Task Verify_DeletedAndRenumbered_IsStillDetected()
    {
        await using var db = await WithEntriesAsync(5);
        // A careful attacker closes the gap in the numbering too.
        await db.ExecuteAsync("DELETE FROM \"AuditEntries\" WHERE \"Sequence\" = 3; UPDATE \"AuditEntries\" SET \"Sequence\" = \"Sequence\" - 1 WHERE \"Sequence\" > 3");

        var result = await db.Get<AuditVerifier>().VerifyAsync(Ct);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Verify_SwappedEntries_NamesThemAsReordered()
    {
        await using var db = await WithEntriesAsync(5);
        await db.ExecuteAsync("UPDATE \"AuditEntries\" SET \"Sequence\" = -1 WHERE \"Sequence\" = 2; UPDATE \"AuditEntries\" SET \"Sequence\" = 2 WHERE \"Sequence\" = 3; UPDATE \"AuditEntries\" SET \"Sequence\" = 3 WHERE \"Sequence\" = -1");

        var result = await db.Get<AuditVerifier>().VerifyAsync(Ct);

        Assert.False(result.IsIntact);
        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Equal(AuditProblem.Reordered, result.Problem);
    }

    [Fact]
    public async Task Verify_EntrySlippedInWithAValidHash_NamesItAsInserted()
    {
        await using var db = await WithEntriesAsync(5);
        await using var ctx = await db.ContextAsync();
        var second = await ctx.AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == 2, Ct);
        // A careful forger: makes room at 3, and writes a well-formed entry chained to entry 2.
        var forged = new AuditEntry { Sequence = 3, OccurredAt = second.OccurredAt, Actor = "staff:nobody", Action = "case.viewed", Subject = "case:X", PreviousHash = second.Hash };
        forged.Hash = AuditHasher.Compute(second.Hash, forged);
        await db.ExecuteAsync("UPDATE \"AuditEntries\" SET \"Sequence\" = \"Sequence\" + 100 WHERE \"Sequence\" >= 3; UPDATE \"AuditEntries\" SET \"Sequence\" = \"Sequence\" - 99 WHERE \"Sequence\" >= 103");
        await db.ExecuteAsync($"INSERT INTO \"AuditEntries\" (\"Sequence\", \"OccurredAt\", \"Actor\", \"Action\", \"Subject\", \"Details\", \"PreviousHash\", \"Hash\") VALUES (3, {forged.OccurredAt.UtcTicks}, '{forged.Actor}', '{forged.Action}', '{forged.Subject}', NULL, '{forged.PreviousHash}', '{forged.Hash}')");

        var result = await db.Get<AuditVerifier>().VerifyAsync(Ct);

        Assert.False(result.IsIntact);
        Assert.Equal(AuditProblem.Inserted, result.Problem);
        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Verify_TruncatedTail_IsCaughtByTheHeadOutsideTheDatabase()
    {
        await using var db = await WithEntriesAsync(5);
        await db.ExecuteAsync("DELETE FROM \"AuditEntries\" WHERE \"Sequence\" >= 4");

        var result = await db.Get<AuditVerifier>().VerifyAsync(Ct);

        Assert.False(result.IsIntact);
        Assert.Equal(AuditProblem.Truncated, result.Problem);
        Assert.Equal(4, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Append_ConcurrentWriters_NeverForkTheChain()
    {
        await using var db = await TestDatabase.CreateAsync();
        var log = db.Get<AuditLog>();

        await Task.WhenAll(Enumerable.Range(1, 40).Select(i =>
            Task.Run(() => log.AppendAsync(new AuditRecord(AuditActors.System, "test.parallel", $"n:{i}"), Ct), Ct)));

        var result = await db.Get<AuditVerifier>().VerifyAsync(Ct);
        Assert.True(result.IsIntact, result.Message);
        Assert.Equal(40, result.EntriesChecked);
    }

    [Fact]
    public void Canonical_FieldsWithSeparators_CannotCollide()
    {
        var a = new AuditEntry { Sequence = 1, Actor = "a\"", Action = "b", Subject = "c" };
        var b = new AuditEntry { Sequence = 1, Actor = "a", Action = "\"b", Subject = "c" };

        Assert.NotEqual(AuditHasher.Compute(AuditHasher.GenesisHash, a), AuditHasher.Compute(AuditHasher.GenesisHash, b));
    }
}
