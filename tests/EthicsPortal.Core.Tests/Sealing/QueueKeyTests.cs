using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Tests.Cases;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Sealing;

/// <summary>
/// Queue group keys (#16, intake's cost): a concern is sealed once to its queue's handlers' shared key, not once per
/// handler; the rules of per-member copies still hold: who leaves the queue, is excluded or gets a new key pair holds
/// nothing, and nothing new is sealed to a key they may have seen.
/// </summary>
public class QueueKeyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Text = "Recordings of civilians' calls.";

    private static async Task<List<string>> ContentHoldersAsync(Workspace w, int caseId)
    {
        await using var db = await w.Db.ContextAsync();
        return await db.CaseKeys.Where(k => k.CaseId == caseId && k.Part == CaseKeyPart.Content).Select(k => k.HolderId).ToListAsync(Ct);
    }

    private static async Task<List<QueueKey>> QueueKeysAsync(Workspace w)
    {
        await using var db = await w.Db.ContextAsync();
        return await db.QueueKeys.AsNoTracking().Include(k => k.Copies).Where(k => k.QueueId == w.RightsQueue).ToListAsync(Ct);
    }

    private static async Task<int> HeldAsync(Workspace w, int caseId, string userId)
    {
        await using var db = await w.Db.ContextAsync();
        return await CaseSealing.HeldBy(db, userId).CountAsync(k => k.CaseId == caseId && k.Part == CaseKeyPart.Content, Ct);
    }

    private static async Task<string?> ReadAsync(Workspace w, int caseId, string userId)
    {
        var page = await w.Get<CaseQueries>().GetAsync(caseId, userId, Ct);
        return page.Succeeded && page.Value!.Access == ContentAccess.Open ? page.Value.Report.Description : null;
    }

    [Fact]
    public async Task ANewConcern_IsSealedOnceToTheQueuesGroupKey_WhichEveryHandlerOpens_AndTheNextConcernReusesIt()
    {
        await using var w = await Workspace.CreateAsync();
        var first = await w.ConcernAsync();

        var holders = await ContentHoldersAsync(w, first);
        var group = Assert.Single(holders, h => h.StartsWith(QueueKey.Prefix, StringComparison.Ordinal));
        Assert.Equal(new[] { CaseKey.Reporter, w.Chair, group }.Order(StringComparer.Ordinal), holders.Order(StringComparer.Ordinal));   // not a copy per handler
        var key = Assert.Single(await QueueKeysAsync(w));
        Assert.Equal(group, key.Id);
        Assert.False(key.Retired);
        Assert.Equal(new[] { w.InQueue, w.Excluded, w.AccountTeam }.Order(StringComparer.Ordinal), key.Copies.Select(c => c.UserId).Order(StringComparer.Ordinal));
        Assert.Equal(key.CreatedAt, Case.TruncateToHour(key.CreatedAt));   // an anonymous concern made it: no finer than the hour
        foreach (var handler in new[] { w.InQueue, w.Excluded, w.AccountTeam, w.Chair })
            Assert.Equal(Text, await ReadAsync(w, first, handler));
        Assert.Null(await ReadAsync(w, first, w.OutsideQueue));

        var second = await w.ConcernAsync();
        Assert.Contains(group, await ContentHoldersAsync(w, second));
        Assert.Single(await QueueKeysAsync(w));
        Assert.Equal(Text, await ReadAsync(w, second, w.AccountTeam));

        // A handler whose key is locked reads nothing through the group, and signing in again opens it.
        w.Get<MemberKeys>().Lock(w.InQueue);
        Assert.Equal(ContentAccess.Locked, (await w.Get<CaseQueries>().GetAsync(second, w.InQueue, Ct)).Value!.Access);
        await w.SignInAsync(w.InQueue);
        Assert.Equal(Text, await ReadAsync(w, second, w.InQueue));
    }

    [Fact]
    public async Task AHandlerRemovedFromTheQueue_LosesTheGroupKeyAtOnce_ItIsRetired_AndNewConcernsGetAKeyWithoutThem()
    {
        await using var w = await Workspace.CreateAsync();
        var first = await w.ConcernAsync();
        var queues = w.Get<QueueAdminService>();

        Assert.True((await queues.SetMembersAsync(w.RightsQueue, [w.Excluded, w.AccountTeam], w.Admin, Ct)).Succeeded);
        var old = Assert.Single(await QueueKeysAsync(w));
        Assert.True(old.Retired);
        Assert.DoesNotContain(old.Copies, c => c.UserId == w.InQueue);
        Assert.Equal(0, await HeldAsync(w, first, w.InQueue));
        Assert.Equal(Text, await ReadAsync(w, first, w.Excluded));       // the others keep the case

        var second = await w.ConcernAsync();
        var made = Assert.Single(await QueueKeysAsync(w), k => !k.Retired);
        Assert.NotEqual(old.Id, made.Id);
        Assert.Equal(new[] { w.Excluded, w.AccountTeam }.Order(StringComparer.Ordinal), made.Copies.Select(c => c.UserId).Order(StringComparer.Ordinal));
        Assert.Contains(made.Id, await ContentHoldersAsync(w, second));

        // They rejoin: the next concern makes a key with them in it; the old case waits until a holder opens it.
        Assert.True((await queues.SetMembersAsync(w.RightsQueue, [w.InQueue, w.Excluded, w.AccountTeam], w.Admin, Ct)).Succeeded);
        var third = await w.ConcernAsync();
        Assert.Equal(Text, await ReadAsync(w, third, w.InQueue));
        Assert.Equal(3, (await QueueKeysAsync(w)).Count);
        Assert.Single(await QueueKeysAsync(w), k => !k.Retired);
        Assert.Equal(ContentAccess.WaitingForGrant, (await w.Get<CaseQueries>().GetAsync(first, w.InQueue, Ct)).Value!.Access);
        Assert.Equal(Text, await ReadAsync(w, first, w.AccountTeam));   // a holder opens it: the waiting member is granted
        Assert.Equal(Text, await ReadAsync(w, first, w.InQueue));
    }

    [Fact]
    public async Task ExcludingAHandler_DeletesTheCasesGroupCopy_AndTheOthersGetCopiesOfTheirOwn_EvenWhenTheChairWasLocked()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        var cases = w.Get<CaseService>();

        // The chair's key is locked as they exclude: nobody can re-seal yet, so the others wait rather than the excluded keeping it.
        w.Get<MemberKeys>().Lock(w.Chair);
        Assert.True((await cases.ExcludeAsync(id, w.Chair, w.Excluded, "knows the customer", Ct)).Succeeded);
        Assert.DoesNotContain(await ContentHoldersAsync(w, id), h => h.StartsWith(QueueKey.Prefix, StringComparison.Ordinal));
        Assert.Equal(0, await HeldAsync(w, id, w.Excluded));
        Assert.Contains(Assert.Single(await QueueKeysAsync(w)).Copies, c => c.UserId == w.Excluded);   // still in the queue, for other cases
        Assert.Equal(ContentAccess.WaitingForGrant, (await w.Get<CaseQueries>().GetAsync(id, w.InQueue, Ct)).Value!.Access);
        Assert.Contains((await w.Get<KeyAccessService>().OverviewAsync(w.Chair, Ct)).Value!.Waiting, g => g.CaseId == id && g.UserId == w.InQueue);

        await w.SignInAsync(w.Chair);
        Assert.Equal(Text, await ReadAsync(w, id, w.Chair));              // the chair opens the case: the others are granted
        Assert.Equal(Text, await ReadAsync(w, id, w.InQueue));
        Assert.Equal(Text, await ReadAsync(w, id, w.AccountTeam));
        Assert.Equal(1, await HeldAsync(w, id, w.InQueue));
        Assert.False((await w.Get<CaseQueries>().GetAsync(id, w.Excluded, Ct)).Succeeded);

        // With the chair's key open, the exclusion re-seals to the others in the same step.
        var other = await w.ConcernAsync();
        Assert.True((await cases.ExcludeAsync(other, w.Chair, w.AccountTeam, "on the account", Ct)).Succeeded);
        Assert.Equal(0, await HeldAsync(w, other, w.AccountTeam));
        await using (var db = await w.Db.ContextAsync())
            Assert.True(await db.CaseKeys.AnyAsync(k => k.CaseId == other && k.HolderId == w.InQueue, Ct));
        Assert.Equal(Text, await ReadAsync(w, other, w.InQueue));
    }

    [Fact]
    public async Task AKeyOpenedEarlierInTheSession_IsNotServedFromMemory_OnceTheMembersCopyIsGone()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        var queries = w.Get<CaseQueries>();
        Assert.Equal(Text, await ReadAsync(w, id, w.InQueue));   // through the group key; both keys are now in this session's memory
        Assert.Equal(Text, await ReadAsync(w, id, w.Chair));     // through the chair's own copy

        // Another instance over the same database deletes the copies; this instance's memory is not told.
        await using (var db = await w.Db.ContextAsync())
        {
            await db.QueueKeyCopies.Where(c => c.UserId == w.InQueue).ExecuteDeleteAsync(Ct);
            await db.CaseKeys.Where(k => k.CaseId == id && k.HolderId == w.Chair).ExecuteDeleteAsync(Ct);
        }
        Assert.Equal(ContentAccess.WaitingForGrant, (await queries.GetAsync(id, w.InQueue, Ct)).Value!.Access);
        Assert.Equal(ContentAccess.WaitingForGrant, (await queries.GetAsync(id, w.Chair, Ct)).Value!.Access);
        Assert.Equal(Text, await ReadAsync(w, id, w.AccountTeam));   // a holder opens it: both are sealed copies anew
        Assert.Equal(Text, await ReadAsync(w, id, w.InQueue));
        Assert.Equal(Text, await ReadAsync(w, id, w.Chair));
    }

    [Fact]
    public async Task AConcernRefusedAfterItsKeysWereMade_ChangesNoQueueKey()
    {
        await using var w = await Workspace.CreateAsync();
        await w.ConcernAsync();
        var before = Assert.Single(await QueueKeysAsync(w));
        Assert.True((await w.Get<QueueAdminService>().SetMembersAsync(w.RightsQueue, [w.InQueue, w.Excluded, w.AccountTeam, w.OutsideQueue], w.Admin, Ct)).Succeeded);

        // A program as evidence is refused once the concern's keys are made (the handlers changed, so a new group key was due).
        var refused = await w.Get<EthicsPortal.Core.Intake.IntakeService>().SubmitAsync(new EthicsPortal.Core.Intake.ConcernSubmission(
            "Ministry of Interior", "cloud-storage", "mass-surveillance", Text, "", HowKnown.SawIt, OngoingHarm.Yes, "", [], null,
            [new EthicsPortal.Core.Intake.Evidence.EvidenceFile("tool.exe", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00])]), Ct);
        Assert.False(refused.Succeeded);
        var after = Assert.Single(await QueueKeysAsync(w));
        Assert.Equal(before.Id, after.Id);
        Assert.False(after.Retired);

        var next = await w.ConcernAsync();
        Assert.Equal(2, (await QueueKeysAsync(w)).Count);
        Assert.True((await QueueKeysAsync(w)).Single(k => k.Id == before.Id).Retired);
        Assert.Equal(Text, await ReadAsync(w, next, w.OutsideQueue));
    }

    [Fact]
    public async Task AConcernThatExcludesAHandler_OrWaitsForScreening_IsSealedToEachMember_NeverToTheGroup()
    {
        await using var w = await Workspace.CreateAsync();
        var excluding = await w.ConcernAsync(exclude: [w.Excluded]);
        var holders = await ContentHoldersAsync(w, excluding);
        Assert.DoesNotContain(holders, h => h.StartsWith(QueueKey.Prefix, StringComparison.Ordinal));
        Assert.Contains(w.InQueue, holders);
        Assert.Contains(w.AccountTeam, holders);
        Assert.DoesNotContain(w.Excluded, holders);
        Assert.Empty(await QueueKeysAsync(w));
        Assert.Equal(Text, await ReadAsync(w, excluding, w.InQueue));
    }

    [Fact]
    public async Task AnAdminsPasswordReset_DropsTheHandlersGroupCopies_RetiresTheKey_AndTheyReadNothing()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        Assert.True((await w.Get<EthicsPortal.Core.Security.StaffAccountService>().ResetPasswordAsync(w.InQueue, "a reset the admin typed, long", w.Admin, Ct)).Succeeded);

        var key = Assert.Single(await QueueKeysAsync(w));
        Assert.True(key.Retired);
        Assert.DoesNotContain(key.Copies, c => c.UserId == w.InQueue);
        Assert.Equal(0, await HeldAsync(w, id, w.InQueue));
        Assert.Equal(UnlockOutcome.Unlocked, await w.Get<MemberKeys>().UnlockAsync(w.InQueue, "a reset the admin typed, long", ct: Ct));
        Assert.Equal(ContentAccess.WaitingForGrant, (await w.Get<CaseQueries>().GetAsync(id, w.InQueue, Ct)).Value!.Access);

        // The next concern is sealed to a new key for the two handlers who may receive keys (the reset one may not yet).
        var next = await w.ConcernAsync();
        var made = Assert.Single(await QueueKeysAsync(w), k => !k.Retired);
        Assert.Equal(new[] { w.Excluded, w.AccountTeam }.Order(StringComparer.Ordinal), made.Copies.Select(c => c.UserId).Order(StringComparer.Ordinal));
        Assert.Equal(ContentAccess.WaitingForGrant, (await w.Get<CaseQueries>().GetAsync(next, w.InQueue, Ct)).Value!.Access);
    }
}
