using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Security;
using EthicsPortal.Core.Tests.Cases;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Sealing;

/// <summary>Promises 2 and 7 of #16: administration is not access; access follows the workflow; losing sight of a case loses its key.</summary>
public class CaseAccessGrantTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string AdminTyped = "typed by the admin, long enough";
    private const string OwnPassword = "the chair's very own passphrase";

    private static async Task<int> CopiesAsync(Workspace w, int caseId, string userId)
    {
        await using var db = await w.Db.ContextAsync();
        return await CaseSealing.HeldBy(db, userId).CountAsync(k => k.CaseId == caseId, Ct);
    }

    [Fact]
    public async Task AChairAccountAnAdminCreates_ReadsNothing_UntilItsOwnerChoosesAPassword_AndAChairWhoHoldsTheKeysConfirmsThem()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        var accounts = w.Get<StaffAccountService>();
        var created = await accounts.CreateAsync(new NewStaffAccount("new.chair@test.local", "New Chair", AdminTyped, [Roles.Chair]), w.Admin, Ct);
        var newChair = created.Value!;
        var keys = w.Get<MemberKeys>();
        var queries = w.Get<CaseQueries>();

        // The Admin knows the password they typed: it unlocks a key to no case.
        Assert.Equal(UnlockOutcome.Unlocked, await keys.UnlockAsync(newChair, AdminTyped, ct: Ct));
        Assert.Equal(ContentAccess.WaitingForGrant, (await queries.GetAsync(id, newChair, Ct)).Value!.Access);
        Assert.Equal("", (await queries.GetAsync(id, newChair, Ct)).Value!.Report.Description);
        Assert.True((await queries.GetAsync(id, w.Chair, Ct)).Succeeded);          // a holder opens the case:
        Assert.Equal(0, await CopiesAsync(w, id, newChair));                       // no grant to a key an Admin's password wraps

        // The owner chooses their own password: still nothing until a chair vouches for them.
        Assert.True((await accounts.ChangePasswordAsync(newChair, AdminTyped, OwnPassword, Ct)).Succeeded);
        Assert.True((await queries.GetAsync(id, w.Chair, Ct)).Succeeded);
        Assert.Equal(0, await CopiesAsync(w, id, newChair));
        var overview = (await w.Get<KeyAccessService>().OverviewAsync(w.Chair, Ct)).Value!;
        Assert.Contains(overview.Members, m => m.UserId == newChair && m.OwnSecret && !m.Confirmed);

        // An Admin cannot confirm; a chair who holds the keys can, and grants at once.
        Assert.Equal(ErrorKind.Forbidden, (await w.Get<KeyAccessService>().ConfirmAsync(w.Admin, newChair, Ct)).Error!.Kind);
        var confirmed = await w.Get<KeyAccessService>().ConfirmAsync(w.Chair, newChair, Ct);
        Assert.True(confirmed.Succeeded, confirmed.Error?.Message);
        Assert.Equal(1, confirmed.Value);
        Assert.Equal("Recordings of civilians' calls.", (await queries.GetAsync(id, newChair, Ct)).Value!.Report.Description);
        await using var db = await w.Db.ContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "keys.member-confirmed" && e.Subject == $"user:{newChair}", Ct));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "case.key-granted" && e.Details == $"to=user:{newChair}", Ct));
    }

    [Fact]
    public async Task AMemberRemovedFromTheQueue_LosesTheKeyAtOnce_AndGetsItBackWhenAHolderOpensTheCaseAfterTheyRejoin()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        Assert.Equal(1, await CopiesAsync(w, id, w.InQueue));
        var queues = w.Get<QueueAdminService>();

        Assert.True((await queues.SetMembersAsync(w.RightsQueue, [w.Excluded, w.AccountTeam], w.Admin, Ct)).Succeeded);
        Assert.Equal(0, await CopiesAsync(w, id, w.InQueue));

        Assert.True((await queues.SetMembersAsync(w.RightsQueue, [w.InQueue, w.Excluded, w.AccountTeam], w.Admin, Ct)).Succeeded);
        Assert.Equal(ContentAccess.WaitingForGrant, (await w.Get<CaseQueries>().GetAsync(id, w.InQueue, Ct)).Value!.Access);
        var waiting = (await w.Get<KeyAccessService>().OverviewAsync(w.Chair, Ct)).Value!.Waiting;
        Assert.Contains(waiting, g => g.CaseId == id && g.UserId == w.InQueue);

        Assert.True((await w.Get<CaseQueries>().GetAsync(id, w.Excluded, Ct)).Succeeded);   // a member who holds it opens it
        Assert.Equal("Recordings of civilians' calls.", (await w.Get<CaseQueries>().GetAsync(id, w.InQueue, Ct)).Value!.Report.Description);
    }

    [Fact]
    public async Task Exclusion_ReRouting_AndALostRole_DeleteTheCopy_AndANewAssigneeGetsOneFromTheActor()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        var cases = w.Get<CaseService>();

        Assert.True((await cases.ExcludeAsync(id, w.Chair, w.Excluded, "knows the customer", Ct)).Succeeded);
        Assert.Equal(0, await CopiesAsync(w, id, w.Excluded));

        Assert.True((await cases.AssignAsync(id, w.Chair, w.OutsideQueue, "expertise", Ct)).Succeeded);
        Assert.Equal(1, await CopiesAsync(w, id, w.OutsideQueue));

        Assert.True((await cases.RerouteAsync(id, w.Chair, w.OtherQueue, "better fit", Ct)).Succeeded);
        Assert.Equal(0, await CopiesAsync(w, id, w.InQueue));
        Assert.Equal(1, await CopiesAsync(w, id, w.OutsideQueue));   // in the new queue and assigned

        Assert.True((await w.Get<StaffAccountService>().SetRolesAsync(w.OutsideQueue, [Roles.HR], w.Admin, Ct)).Succeeded);
        Assert.Equal(0, await CopiesAsync(w, id, w.OutsideQueue));
    }

    [Fact]
    public async Task ConcernsWaitingForScreening_AreSealedToTheChairsOnly_AndReachTheQueueOnRelease()
    {
        await using var w = await Workspace.CreateAsync();
        var receipt = await w.Get<EthicsPortal.Core.Intake.IntakeService>().SubmitAsync(new EthicsPortal.Core.Intake.ConcernSubmission(
            "Ministry", "cloud-storage", "mass-surveillance", "Flood-time concern.", "", HowKnown.SawIt,
            OngoingHarm.Yes, "", [], null, []), forScreening: true, Ct);
        var id = await w.RememberAsync(receipt.Value!);
        Assert.Equal(1, await CopiesAsync(w, id, w.Chair));
        Assert.Equal(0, await CopiesAsync(w, id, w.InQueue));

        Assert.True((await w.Get<CaseService>().ReleaseFromScreeningAsync(id, w.Chair, Ct)).Succeeded);
        Assert.Equal(1, await CopiesAsync(w, id, w.InQueue));
    }

    [Fact]
    public async Task Erasure_ShredsEveryCopy_ASignedInMemberKeyStaysOnlyInMemory_AndSignOutDropsIt()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        await using (var db = await w.Db.ContextAsync())
        {
            Assert.True(await db.CaseKeys.CountAsync(k => k.CaseId == id, Ct) >= 3);   // chair, the queue's group key, reporter
            var stored = await db.MemberKeys.SingleAsync(k => k.UserId == w.InQueue, Ct);
            Assert.Null(Seal.Open(Seal.ImportPrivate(new byte[32]), (await CaseSealing.HeldBy(db, w.InQueue).FirstAsync(k => k.CaseId == id, Ct)).Sealed, $"case:x|Content key"));
            Assert.NotNull(stored.PasswordWrap);
        }
        Assert.True(w.Get<MemberKeys>().IsUnlocked(w.InQueue));
        w.Get<MemberKeys>().Lock(w.InQueue);
        Assert.Equal(ContentAccess.Locked, (await w.Get<CaseQueries>().GetAsync(id, w.InQueue, Ct)).Value!.Access);

        Assert.True((await w.Get<CaseService>().RejectAsync(id, w.Chair, "out of scope", "Not about our services.", ct: Ct)).Succeeded);
        w.Db.Time.Advance(TimeSpan.FromDays(800));
        await w.Get<EthicsPortal.Core.Retention.RetentionService>().RunOnceAsync(Ct);
        await using var after = await w.Db.ContextAsync();
        Assert.NotNull((await after.Cases.SingleAsync(c => c.Id == id, Ct)).ErasedAt);
        Assert.Equal(0, await after.CaseKeys.CountAsync(k => k.CaseId == id, Ct));
    }
}
