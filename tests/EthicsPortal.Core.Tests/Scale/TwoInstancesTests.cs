using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Tests.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Tests.Scale;

/// <summary>Two portal instances on one database: the audit chain stays one, whoever writes.</summary>
public class TwoInstancesTests
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

    [Fact]
    public async Task CaseMadeOnOneInstance_IsReadAndChangedOnTheOther_AndTheChainStaysOne()
    {
        await using var w = await Workspace.CreateAsync();
        await using var other = w.Db.OpenAnotherInstance();
        var id = await w.ConcernAsync();   // made on the first instance

        // Each instance unlocks keys in its own memory: signed in on the first, the member's key is locked on the second
        // (a sticky session keeps a member's circuit on one instance) until they sign in there too.
        var locked = await other.GetRequiredService<CaseQueries>().GetAsync(id, w.InQueue, Ct);
        Assert.Equal(EthicsPortal.Core.Sealing.ContentAccess.Locked, locked.Value!.Access);
        Assert.Equal("", locked.Value.Report.Description);
        Assert.Equal(EthicsPortal.Core.Sealing.UnlockOutcome.Unlocked,
            await other.GetRequiredService<EthicsPortal.Core.Sealing.MemberKeys>().UnlockAsync(w.InQueue, Workspace.Password, ct: Ct));
        var read = await other.GetRequiredService<CaseQueries>().GetAsync(id, w.InQueue, Ct);
        Assert.True(read.Succeeded, read.Error?.Message);
        Assert.Equal("Recordings of civilians' calls.", read.Value!.Report.Description);
        var changed = await other.GetRequiredService<CaseService>().AcknowledgeAsync(id, w.InQueue, read.Value.Version, Ct);
        Assert.True(changed.Succeeded, changed.Error?.Message);
        Assert.True((await w.Get<CaseService>().AddNoteAsync(id, w.InQueue, "seen on the first instance", Ct)).Succeeded);

        var back = await w.Get<CaseQueries>().GetAsync(id, w.InQueue, Ct);
        Assert.Equal(CaseStatus.Acknowledged, back.Value!.Row.Status);
        Assert.Equal("seen on the first instance", Assert.Single(back.Value.Notes).Body);
        var verification = await other.GetRequiredService<AuditVerifier>().VerifyAsync(Ct);
        Assert.True(verification.IsIntact, verification.Message);
        await using var ctx = await w.Db.ContextAsync();
        Assert.Equal(1, await ctx.AuditEntries.CountAsync(e => e.Action == "case.acknowledge", Ct));
    }

    [Fact]
    public async Task AnAppendOnAnotherInstance_WaitsWhileOneHoldsTheChainsWriteLock()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var other = db.OpenAnotherInstance();
        await using var holder = await db.ContextAsync();
        await using var tx = await holder.Database.BeginTransactionAsync(Ct);
        await WriteLocks.TakeAsync(holder.Database, WriteLocks.AuditChain, Ct);
        await holder.AuditEntries.CountAsync(Ct);   // SQLite takes its write lock at BEGIN IMMEDIATE; a read proves the lock is live

        // On its own thread: SQLite's busy wait blocks the calling thread, not just the task.
        var append = Task.Run(() => other.GetRequiredService<AuditLog>().AppendAsync(new AuditRecord(AuditActors.System, "test.waits", "x"), Ct), Ct);
        var finishedFirst = await Task.WhenAny(append, Task.Delay(TimeSpan.FromMilliseconds(700), Ct));
        Assert.NotSame(append, finishedFirst);   // it waits for the holder instead of reading the same head
        await tx.CommitAsync(Ct);
        await append;

        var verification = await db.Get<AuditVerifier>().VerifyAsync(Ct);
        Assert.True(verification.IsIntact, verification.Message);
    }
}
