using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Intake;
using EthicsPortal.Core.Security;
using EthicsPortal.Core.Tests.Cases;

namespace EthicsPortal.Core.Tests.Intake;

/// <summary>The form's list of members to exclude is read at most every 30 seconds; a submission is checked against a fresh one.</summary>
public class CommitteeMemberListTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FormList_IsReusedForItsLifetime_ThenReadAgain()
    {
        await using var w = await Workspace.CreateAsync();
        var intake = w.Get<IntakeService>();
        var before = await intake.CommitteeMembersForFormAsync(Ct);
        var newcomer = (await w.Get<StaffAccountService>().CreateAsync(
            new NewStaffAccount("newcomer@test.local", "Newcomer", "a test passphrase long enough", [Roles.Handler]), w.Admin, Ct)).Value!;

        var soon = await intake.CommitteeMembersForFormAsync(Ct);
        w.Db.Time.Advance(IntakeService.MemberListLifetime);
        var later = await intake.CommitteeMembersForFormAsync(Ct);

        Assert.Same(before, soon);
        Assert.DoesNotContain(soon, m => m.UserId == newcomer);
        Assert.Contains(later, m => m.UserId == newcomer);
    }

    [Fact]
    public async Task Submission_ExcludingAMemberTheCachedFormListLacks_IsCheckedAgainstAFreshList()
    {
        await using var w = await Workspace.CreateAsync();
        var intake = w.Get<IntakeService>();
        await intake.CommitteeMembersForFormAsync(Ct);
        var newcomer = (await w.Get<StaffAccountService>().CreateAsync(
            new NewStaffAccount("newcomer@test.local", "Newcomer", "a test passphrase long enough", [Roles.Handler]), w.Admin, Ct)).Value!;

        await w.ConcernAsync(exclude: [newcomer]);   // asserts the submission succeeded

        var stranger = await intake.SubmitAsync(new ConcernSubmission("Ministry of Interior", "cloud-storage", "mass-surveillance",
            "Recordings of civilians' calls.", "", HowKnown.SawIt, OngoingHarm.Yes, "", ["not-a-member"], null, []), Ct);
        Assert.False(stranger.Succeeded);
        Assert.Contains("ExcludedMemberIds", stranger.Error!.Fields!.Keys);
    }
}
