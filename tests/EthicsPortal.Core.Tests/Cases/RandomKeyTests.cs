using EthicsPortal.Core.Cases;
using EthicsPortal.Core.FollowUp;
using EthicsPortal.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Cases;

/// <summary>
/// #15 L9: keys of rows a reporter causes do not follow arrival, so their order cannot pin a reporter's moment
/// between staff rows with exact times; inside a case, history and conversation keep their own order.
/// </summary>
public class RandomKeyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static bool Ascending(IReadOnlyList<long> keys) => keys.Zip(keys.Skip(1)).All(p => p.First < p.Second);

    [Fact]
    public async Task CasesAndTheirRows_TakeKeysThatDoNotFollowArrival()
    {
        await using var w = await Workspace.CreateAsync();
        var ids = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            w.Db.Time.Advance(TimeSpan.FromMinutes(3));
            ids.Add(await w.ConcernAsync());
        }
        await using var ctx = await w.Db.ContextAsync();
        async Task<List<long>> InArrival<T>(IQueryable<T> rows, Func<T, int> caseOf, Func<T, long> key)
            => (await rows.ToListAsync(Ct)).OrderBy(r => ids.IndexOf(caseOf(r))).Select(key).ToList();

        // Ten in a row in ascending order by chance: 1 in 10! (3.6 million), for each kind of row.
        Assert.False(Ascending(ids.Select(i => (long)i).ToList()), "case ids follow arrival");
        Assert.False(Ascending(await InArrival(ctx.CaseEvents.AsNoTracking(), e => e.CaseId, e => e.Id)), "event ids follow arrival");
        Assert.False(Ascending(await InArrival(ctx.Attachments.AsNoTracking(), a => a.CaseId, a => a.Id)), "attachment ids follow arrival");
        var notices = await ctx.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKind.NewCase && n.UserId == w.Chair).ToListAsync(Ct);
        Assert.False(Ascending(notices.OrderBy(n => ids.IndexOf(n.CaseId!.Value)).Select(n => n.Id).ToList()), "notice ids follow arrival");
        Assert.All(ids, id => Assert.InRange(id, 1, int.MaxValue));
    }

    [Fact]
    public async Task AConversation_ReadsInTheOrderItWasWritten_WhateverItsKeys()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        var cases = w.Get<CaseService>();
        var followUp = w.Get<FollowUpService>();
        var written = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            w.Db.Time.Advance(TimeSpan.FromMinutes(7));   // the reporter's replies keep only the hour: time cannot order them
            var committee = $"committee question {i}";
            Assert.True((await cases.SendMessageToReporterAsync(id, w.InQueue, committee, Ct)).Succeeded);
            written.Add(committee);
            var reporter = $"reporter answer {i}";
            Assert.True((await followUp.ReplyAsync(w.Visit(id), reporter, Ct)).Succeeded);
            written.Add(reporter);
        }

        var page = (await w.Get<CaseQueries>().GetAsync(id, w.InQueue, Ct)).Value!;
        Assert.Equal(written, page.Messages.Select(m => m.Body).ToList());
        var inbox = (await followUp.GetInboxAsync(w.Visit(id), Ct)).Value!;
        Assert.Equal(written, inbox.Messages.Select(m => m.Body).ToList());
        await using var ctx = await w.Db.ContextAsync();
        var keys = await ctx.CaseMessages.Where(m => m.CaseId == id).OrderBy(m => m.Seq).Select(m => m.Id).ToListAsync(Ct);
        Assert.False(Ascending(keys), "message keys follow the conversation");   // 16 in order by chance: 1 in 16!
    }
}
