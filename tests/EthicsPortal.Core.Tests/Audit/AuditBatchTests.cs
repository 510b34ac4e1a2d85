using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Tests.Cases;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Audit;

/// <summary>
/// #15 L9: a reporter's audit entry must not sit between staff entries with exact times. It waits for its hour to
/// end, then joins the chain with the rest of that hour, in an order that is not their arrival.
/// </summary>
public class AuditBatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Ten = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReportersEntries_JoinTheChainAfterTheirHour_AsOneBatch_NotInTheirArrivalOrder()
    {
        await using var w = await Workspace.CreateAsync();
        var audit = w.Get<AuditLog>();
        w.Db.Time.SetUtcNow(Ten.AddMinutes(5));
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(w.Chair), "test.before", "x"), Ct);
        var arrived = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            w.Db.Time.Advance(TimeSpan.FromMinutes(4));   // 10:09, 10:13 … 10:53
            arrived.Add(await w.ConcernAsync());
        }
        w.Db.Time.SetUtcNow(Ten.AddMinutes(57));
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(w.Chair), "test.after", "x"), Ct);

        await using var ctx = await w.Db.ContextAsync();
        Assert.False(await ctx.AuditEntries.AnyAsync(e => e.Action == "case.received", Ct));   // nothing between 10:05 and 10:57
        var waiting = await ctx.PendingAuditEntries.AsNoTracking().Where(p => p.Action == "case.received").ToListAsync(Ct);
        Assert.Equal(12, waiting.Count);
        Assert.All(waiting, p => Assert.Equal(Ten, p.Hour));

        // The first append after the hour takes the whole batch in first.
        w.Db.Time.SetUtcNow(Ten.AddHours(1).AddSeconds(30));
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(w.Chair), "test.next", "x"), Ct);

        var chain = await ctx.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(Ct);
        var batch = chain.SkipWhile(e => e.Action != "test.after").Skip(1).TakeWhile(e => e.Action == "case.received").ToList();
        Assert.Equal(12, batch.Count);
        Assert.Equal("test.next", chain[chain.IndexOf(batch[^1]) + 1].Action);
        Assert.All(batch, e => Assert.Equal(Ten, e.OccurredAt));
        var references = await ctx.Cases.Where(c => arrived.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => "case:" + c.Reference, Ct);
        var arrivalOrder = arrived.Select(id => references[id]).ToList();
        var chainOrder = batch.Select(e => e.Subject).ToList();
        Assert.Equal(arrivalOrder.Order(), chainOrder.Order());
        Assert.NotEqual(arrivalOrder, chainOrder);   // by random key: the same order by chance is 1 in 12! (479 million)
        Assert.Empty(await ctx.PendingAuditEntries.ToListAsync(Ct));
        Assert.True((await w.Get<AuditVerifier>().VerifyAsync(Ct)).IsIntact);
    }

    [Fact]
    public async Task AnEndedHour_JoinsTheChainOnTheTick_WhenNobodyElseWrites_AndTheCurrentHourKeepsWaiting()
    {
        await using var w = await Workspace.CreateAsync();
        var audit = w.Get<AuditLog>();
        w.Db.Time.SetUtcNow(Ten.AddMinutes(20));
        await w.ConcernAsync();
        Assert.Equal(0, await audit.FlushEndedHoursAsync(Ct));   // its hour has not ended

        w.Db.Time.SetUtcNow(Ten.AddHours(1).AddMinutes(2));
        Assert.Equal(1, await audit.FlushEndedHoursAsync(Ct));
        w.Db.Time.SetUtcNow(Ten.AddHours(1).AddMinutes(5));
        await w.ConcernAsync();                                   // the next hour's: this one waits
        Assert.Equal(0, await audit.FlushEndedHoursAsync(Ct));

        await using var ctx = await w.Db.ContextAsync();
        Assert.Equal(Ten, (await ctx.AuditEntries.SingleAsync(e => e.Action == "case.received", Ct)).OccurredAt);
        Assert.Equal(Ten.AddHours(1), (await ctx.PendingAuditEntries.SingleAsync(Ct)).Hour);
        Assert.True((await w.Get<AuditVerifier>().VerifyAsync(Ct)).IsIntact);
    }
}
