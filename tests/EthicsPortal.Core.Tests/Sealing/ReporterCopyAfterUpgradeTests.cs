using EthicsPortal.Core.Cases;
using EthicsPortal.Core.FollowUp;
using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Tests.Cases;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Sealing;

/// <summary>
/// A case `keys migrate` moved has no reporter's copy (the receipt was only a keyed hash then). The reporter's next visit
/// seals the key their receipt derives to the members who hold the case's key, and only to them; the first of them to
/// open the case writes the reporter's copy; until then the reporter reads and writes nothing, and nothing they send is lost.
/// </summary>
public class ReporterCopyAfterUpgradeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<CaseKey>> KeysAsync(Workspace w, int caseId)
    {
        await using var db = await w.Db.ContextAsync();
        return await db.CaseKeys.AsNoTracking().Where(k => k.CaseId == caseId).ToListAsync(Ct);
    }

    private static async Task ForgetReporterCopyAsync(Workspace w, int caseId)
    {
        await using var db = await w.Db.ContextAsync();
        Assert.Equal(1, await db.CaseKeys.Where(k => k.CaseId == caseId && k.HolderId == CaseKey.Reporter).ExecuteDeleteAsync(Ct));
    }

    [Fact]
    public async Task TheReportersVisit_SealsTheirKeyToTheHolders_AndTheFirstHolderToOpenTheCaseGivesThemTheirConversationBack()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        await ForgetReporterCopyAsync(w, id);
        var followUp = w.Get<FollowUpService>();

        var waiting = await followUp.GetInboxAsync(w.Visit(id), Ct);
        Assert.True(waiting.Succeeded, waiting.Error?.Message);
        Assert.True(waiting.Value!.AwaitingCommittee);
        Assert.Empty(waiting.Value.Messages);
        var pending = (await KeysAsync(w, id)).Where(k => k.Part == CaseKeyPart.ReporterKey).ToList();
        // Only to members who hold a copy of their own (the chair here; the handlers hold theirs through the queue's group key).
        Assert.Equal([w.Chair], pending.Select(k => k.HolderId));
        Assert.All(pending, k => Assert.Equal(Case.TruncateToHour(k.GrantedAt), k.GrantedAt));   // an anonymous reporter's visit: the hour only
        // A second visit seals nothing more.
        Assert.True((await followUp.GetInboxAsync(w.Visit(id), Ct)).Value!.AwaitingCommittee);
        Assert.Single((await KeysAsync(w, id)), k => k.Part == CaseKeyPart.ReporterKey);

        // Writing meanwhile is refused with the reason, and stores nothing.
        var reply = await followUp.ReplyAsync(w.Visit(id), "Anything new?", Ct);
        Assert.False(reply.Succeeded);
        Assert.Contains("once a committee member has opened your case", reply.Error!.Message, StringComparison.Ordinal);

        // A handler reading through the group key holds no such copy: nothing changes.
        Assert.Equal(ContentAccess.Open, (await w.Get<CaseQueries>().GetAsync(id, w.InQueue, Ct)).Value!.Access);
        Assert.DoesNotContain(await KeysAsync(w, id), k => k.HolderId == CaseKey.Reporter);

        // A chair whose key is locked cannot write it either; once signed in, opening the case does.
        w.Get<MemberKeys>().Lock(w.Chair);
        Assert.Equal(ContentAccess.Locked, (await w.Get<CaseQueries>().GetAsync(id, w.Chair, Ct)).Value!.Access);
        Assert.DoesNotContain(await KeysAsync(w, id), k => k.HolderId == CaseKey.Reporter);
        await w.SignInAsync(w.Chair);
        Assert.Equal(ContentAccess.Open, (await w.Get<CaseQueries>().GetAsync(id, w.Chair, Ct)).Value!.Access);
        var keys = await KeysAsync(w, id);
        var reporterCopy = Assert.Single(keys, k => k.HolderId == CaseKey.Reporter);
        Assert.Equal(CaseKeyPart.Content, reporterCopy.Part);
        Assert.Equal(Case.TruncateToHour(reporterCopy.GrantedAt), reporterCopy.GrantedAt);
        Assert.DoesNotContain(keys, k => k.Part == CaseKeyPart.ReporterKey);

        var inbox = (await followUp.GetInboxAsync(w.Visit(id), Ct)).Value!;
        Assert.False(inbox.AwaitingCommittee);
        Assert.True((await followUp.ReplyAsync(w.Visit(id), "The exports still run every night.", Ct)).Succeeded);
        Assert.Contains((await followUp.GetInboxAsync(w.Visit(id), Ct)).Value!.Messages, m => m.Body == "The exports still run every night.");
        Assert.Contains((await w.Get<CaseQueries>().GetAsync(id, w.Chair, Ct)).Value!.Messages, m => m.Body == "The exports still run every night.");
    }
}
