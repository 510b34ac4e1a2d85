using EthicsPortal.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Tests.Scale;

/// <summary>Two portal instances on one database: the audit chain stays one, whoever writes.</summary>
public sealed class TwoInstancesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConcurrentAppendsFromTwoInstances_MakeOneUnbrokenChain()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var other = db.OpenAnotherInstance();
        var first = db.Get<AuditLog>();
        var second = other.GetRequiredService<AuditLog>();
        int before;
        await using (var ctx = await db.ContextAsync())
            before = await ctx.AuditEntries.CountAsync(Ct);

        async Task Write(AuditLog log, string who)
        {
            for (var i = 0; i < 60; i++)
                await log.AppendAsync(new AuditRecord(AuditActors.System, "bench.append", $"{who}:{i}"), Ct);
        }
        await Task.WhenAll(Task.Run(() => Write(first, "a"), Ct), Task.Run(() => Write(second, "b"), Ct));

        var verification = await other.GetRequiredService<AuditVerifier>().VerifyAsync(Ct);
        Assert.True(verification.IsIntact, verification.Message);
        await using var check = await db.ContextAsync();
        var sequences = await check.AuditEntries.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync(Ct);
        Assert.Equal(before + 120, sequences.Count);
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);   // no gap, no fork
        Assert.Equal(60, await check.AuditEntries.CountAsync(e => e.Subject.StartsWith("b:"), Ct));
        Assert.Equal(sequences[^1], db.Get<AuditHeadFile>().Read()!.Value.Sequence);           // the shared head is the newest
    }
}
