using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Security;
using EthicsPortal.Core.Tests.Cases;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Sealing;

/// <summary>Promise 6 of #16: no single person recovers; M custodians' codes restore a member's access or the committee's.</summary>
public class RecoveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string[] Custodians = ["The chair", "The DPO", "A board member"];
    private const string AdminTyped = "a password the admin typed";

    private static async Task<int> CopiesAsync(Workspace w, string holder, CaseKeyPart part = CaseKeyPart.Content)
    {
        await using var db = await w.Db.ContextAsync();
        return await CaseSealing.HeldBy(db, holder).CountAsync(k => k.Part == part, Ct);
    }

    private static async Task<IReadOnlyList<CustodianCode>> SetUpAsync(Workspace w)
    {
        var codes = await w.Get<RecoveryService>().SetUpAsync(w.Chair, 2, Custodians, Ct);
        Assert.True(codes.Succeeded, codes.Error?.Message);
        return codes.Value!;
    }

    /// <summary>An Admin resets the member's password; the member signs in and chooses their own.</summary>
    private static async Task ResetAndChooseAsync(Workspace w, string userId, string own)
    {
        var accounts = w.Get<StaffAccountService>();
        Assert.True((await accounts.ResetPasswordAsync(userId, AdminTyped, w.Admin, Ct)).Succeeded);
        Assert.True((await accounts.ChangePasswordAsync(userId, AdminTyped, own, Ct)).Succeeded);
    }

    private static async Task<string> ReadAsync(Workspace w, int caseId, string userId)
    {
        var details = await w.Get<CaseQueries>().GetAsync(caseId, userId, Ct);
        Assert.True(details.Succeeded, details.Error?.Message);
        return details.Value!.Report.Description;
    }

    [Fact]
    public async Task ACustodianLeaves_MCodesDealNewOnes_TheOldCodesOpenNothing_AndTheNewOnesRecover()
    {
        await using var w = await Workspace.CreateAsync();
        var caseId = await w.ConcernAsync();
        var codes = await SetUpAsync(w);
        var recovery = w.Get<RecoveryService>();
        string[] next = ["The chair", "The new DPO"];

        var one = await recovery.RedealAsync(w.Chair, new Dictionary<int, string> { [0] = codes[0].Code }, 2, next, Ct);
        Assert.Equal(ErrorKind.Validation, one.Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await recovery.RedealAsync(w.Admin, new Dictionary<int, string> { [0] = codes[0].Code, [1] = codes[1].Code }, 2, next, Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.Validation, (await recovery.RedealAsync(w.Chair, new Dictionary<int, string> { [0] = codes[0].Code, [1] = codes[1].Code }, 3, next, Ct)).Error!.Kind);
        Assert.Equal("2 of 3: The chair, The DPO, A board member", (await recovery.StatusAsync(w.Chair, Ct)).Value!.Summary);

        var dealt = await recovery.RedealAsync(w.Chair, new Dictionary<int, string> { [0] = codes[0].Code, [1] = codes[1].Code }, 2, next, Ct);
        Assert.True(dealt.Succeeded, dealt.Error?.Message);
        Assert.Equal(next, dealt.Value!.Select(c => c.Name));
        Assert.DoesNotContain(dealt.Value!, c => codes.Any(o => o.Code == c.Code));
        Assert.Equal("2 of 2: The chair, The new DPO", (await recovery.StatusAsync(w.Chair, Ct)).Value!.Summary);

        await ResetAndChooseAsync(w, w.InQueue, "the handler's very own passphrase");
        // The old codes, even all three, open nothing now; the new ones recover the cases sealed before the change.
        Assert.False((await recovery.RecoverAsync(w.Chair, new Dictionary<int, string> { [0] = codes[0].Code, [1] = codes[1].Code }, w.InQueue, Ct)).Succeeded);
        var restored = await recovery.RecoverAsync(w.Chair, new Dictionary<int, string> { [0] = dealt.Value![0].Code, [1] = dealt.Value[1].Code }, w.InQueue, Ct);
        Assert.True(restored.Succeeded, restored.Error?.Message);
        Assert.Equal("Recordings of civilians' calls.", await ReadAsync(w, caseId, w.InQueue));

        await using var db = await w.Db.ContextAsync();
        var redealt = await db.AuditEntries.SingleAsync(e => e.Action == "recovery.redealt", Ct);
        Assert.Equal("custodians=The chair, The DPO; quorum=2 of 2; new custodians=The chair, The new DPO", redealt.Details);
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == "recovery.failed", Ct));   // one code to re-deal, the old codes to recover
    }

    [Fact]
    public async Task AResetHandlerReadsNothing_OneCodeRecoversNothing_AndTwoCodesRestoreTheirCases()
    {
        await using var w = await Workspace.CreateAsync();
        var before = await w.ConcernAsync();
        var codes = await SetUpAsync(w);
        var after = await w.ConcernAsync(confidential: true);
        await using (var db = await w.Db.ContextAsync())
        {
            // The case from before is sealed to recovery by the chair's key at set-up; the new one at intake, identity too.
            Assert.True(await db.CaseKeys.AnyAsync(k => k.CaseId == before && k.HolderId == CaseKey.Recovery, Ct));
            Assert.True(await db.CaseKeys.AnyAsync(k => k.CaseId == after && k.HolderId == CaseKey.Recovery && k.Part == CaseKeyPart.Identity, Ct));
        }
        var status = (await w.Get<RecoveryService>().StatusAsync(w.Admin, Ct)).Value!;
        Assert.Equal("2 of 3: The chair, The DPO, A board member", status.Summary);
        Assert.Equal(0, status.CasesWithoutCopy);

        await ResetAndChooseAsync(w, w.InQueue, "the handler's very own passphrase");
        Assert.Equal(0, await CopiesAsync(w, w.InQueue));
        Assert.Equal(ContentAccess.WaitingForGrant, (await w.Get<CaseQueries>().GetAsync(before, w.InQueue, Ct)).Value!.Access);
        // The chair opening the case grants nothing: a reset member waits until someone vouches for them again.
        await ReadAsync(w, before, w.Chair);
        Assert.Equal(0, await CopiesAsync(w, w.InQueue));

        var recovery = w.Get<RecoveryService>();
        var one = await recovery.RecoverAsync(w.Chair, new Dictionary<int, string> { [1] = codes[1].Code }, w.InQueue, Ct);
        Assert.Equal(ErrorKind.Validation, one.Error!.Kind);
        var wrong = await recovery.RecoverAsync(w.Chair, new Dictionary<int, string> { [0] = codes[0].Code, [1] = codes[2].Code }, w.InQueue, Ct);
        Assert.Equal(ErrorKind.Validation, wrong.Error!.Kind);
        Assert.Contains("Code1", wrong.Error.Fields!.Keys);
        Assert.Equal(ErrorKind.Forbidden, (await recovery.RecoverAsync(w.InQueue, new Dictionary<int, string> { [0] = codes[0].Code, [2] = codes[2].Code }, w.InQueue, Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await recovery.RecoverAsync(w.Admin, new Dictionary<int, string> { [0] = codes[0].Code, [2] = codes[2].Code }, w.InQueue, Ct)).Error!.Kind);
        Assert.Equal(0, await CopiesAsync(w, w.InQueue));

        // Typed as a person would: lower case, spaces for dashes.
        var typed = codes[2].Code.ToLowerInvariant().Replace('-', ' ');
        var restored = await recovery.RecoverAsync(w.Chair, new Dictionary<int, string> { [0] = codes[0].Code, [2] = typed }, w.InQueue, Ct);
        Assert.True(restored.Succeeded, restored.Error?.Message);
        Assert.Equal(["The chair", "A board member"], restored.Value!.Custodians);
        Assert.Equal(2, restored.Value.Keys);   // both cases' content; the identity stays with the chair
        Assert.Equal(0, await CopiesAsync(w, w.InQueue, CaseKeyPart.Identity));
        Assert.Equal("Recordings of civilians' calls.", await ReadAsync(w, before, w.InQueue));
        Assert.Equal("Recordings of civilians' calls.", await ReadAsync(w, after, w.InQueue));

        await using var check = await w.Db.ContextAsync();
        var audit = await check.AuditEntries.Where(e => e.Action.StartsWith("recovery.")).OrderBy(e => e.Id).Select(e => new { e.Action, e.Details }).ToListAsync(Ct);
        Assert.Equal(["recovery.set-up", "recovery.failed", "recovery.failed", "recovery.used"], audit.Select(a => a.Action));
        Assert.Contains("custodians=The DPO;", audit[1].Details, StringComparison.Ordinal);
        Assert.Contains("custodians=The chair, A board member;", audit[3].Details, StringComparison.Ordinal);
        Assert.True((await check.MemberKeys.SingleAsync(k => k.UserId == w.InQueue, Ct)).ConfirmedAt is not null);
        if (!w.Db.IsPostgreSql)
        {
            // The codes are shown once and kept nowhere: not in the database, not in its write-ahead log.
            check.Database.CloseConnection();
            foreach (var file in Directory.GetFiles(w.Db.Folder, "test.db*"))
            {
                var bytes = await File.ReadAllTextAsync(file, System.Text.Encoding.Latin1, Ct);
                Assert.All(codes, c => Assert.DoesNotContain(c.Code[..9], bytes, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task WhenEveryMemberLostTheirKey_TheQuorumRestoresTheWholeCommittee_IdentityToTheChairOnly()
    {
        await using var w = await Workspace.CreateAsync();
        var codes = await SetUpAsync(w);
        var id = await w.ConcernAsync(confidential: true);
        await ResetAndChooseAsync(w, w.Chair, "the chair's new own passphrase");
        await ResetAndChooseAsync(w, w.InQueue, "the handler's new own passphrase");
        Assert.Equal(0, await CopiesAsync(w, w.Chair) + await CopiesAsync(w, w.InQueue));

        // An Admin's password, not yet the member's own, receives nothing from recovery either.
        Assert.True((await w.Get<StaffAccountService>().ResetPasswordAsync(w.Excluded, AdminTyped, w.Admin, Ct)).Succeeded);
        var recovery = w.Get<RecoveryService>();
        var forExcluded = await recovery.RecoverAsync(w.Chair, new Dictionary<int, string> { [0] = codes[0].Code, [1] = codes[1].Code }, w.Excluded, Ct);
        Assert.Equal(ErrorKind.Validation, forExcluded.Error!.Kind);

        var all = await recovery.RecoverAsync(w.Chair, new Dictionary<int, string> { [1] = codes[1].Code, [2] = codes[2].Code }, null, Ct);
        Assert.True(all.Succeeded, all.Error?.Message);
        Assert.Equal(1, await CopiesAsync(w, w.Chair, CaseKeyPart.Identity));
        Assert.Equal(0, await CopiesAsync(w, w.InQueue, CaseKeyPart.Identity));
        Assert.Equal(0, await CopiesAsync(w, w.Excluded));   // still on the Admin's password
        Assert.Equal(0, await CopiesAsync(w, w.OutsideQueue));   // recovery gives only what each may see
        Assert.Equal("Recordings of civilians' calls.", await ReadAsync(w, id, w.InQueue));
        Assert.Equal("riley@example.net", (await w.Get<CaseService>().RevealIdentityAsync(id, w.Chair, "to interview them", Ct)).Value!.Contact);
    }

    [Fact]
    public async Task TheSetUpChecksItsInput_HappensOnce_AndOnlyAConfirmedChairWithAnUnlockedKeyDoesIt()
    {
        await using var w = await Workspace.CreateAsync();
        var recovery = w.Get<RecoveryService>();
        Assert.False((await recovery.StatusAsync(w.Chair, Ct)).Value!.SetUp);
        Assert.Equal(ErrorKind.Forbidden, (await recovery.StatusAsync(w.InQueue, Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await recovery.SetUpAsync(w.Admin, 2, Custodians, Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await recovery.SetUpAsync(w.InQueue, 2, Custodians, Ct)).Error!.Kind);
        Assert.Contains("Threshold", (await recovery.SetUpAsync(w.Chair, 1, Custodians, Ct)).Error!.Fields!.Keys);
        Assert.Contains("Threshold", (await recovery.SetUpAsync(w.Chair, 4, Custodians, Ct)).Error!.Fields!.Keys);
        Assert.Contains("Custodian2", (await recovery.SetUpAsync(w.Chair, 2, ["Ada", "Bo", " ada "], Ct)).Error!.Fields!.Keys);
        Assert.Contains("Custodians", (await recovery.SetUpAsync(w.Chair, 2, ["Ada"], Ct)).Error!.Fields!.Keys);
        w.Get<MemberKeys>().Lock(w.Chair);
        Assert.Equal(SealedText.Locked, (await recovery.SetUpAsync(w.Chair, 2, Custodians, Ct)).Error!.Message);
        await using (var db = await w.Db.ContextAsync())
            Assert.False(await db.RecoveryKeys.AnyAsync(Ct));

        await w.SignInAsync(w.Chair);
        var codes = await SetUpAsync(w);
        Assert.Equal(3, codes.Select(c => c.Code).Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$", c.Code));
        Assert.Equal(ErrorKind.Validation, (await recovery.SetUpAsync(w.Chair, 2, Custodians, Ct)).Error!.Kind);
        Assert.True((await w.Get<KeyAccessService>().OverviewAsync(w.Chair, Ct)).Value!.RecoverySetUp);
    }

    [Fact]
    public async Task ACaseTheChairCouldNotSee_GetsItsRecoveryCopyWhenAMemberWhoHoldsItOpensIt()
    {
        await using var w = await Workspace.CreateAsync();
        var hidden = await w.ConcernAsync(exclude: [w.Chair]);
        await SetUpAsync(w);
        var recovery = w.Get<RecoveryService>();
        Assert.Equal(1, (await recovery.StatusAsync(w.Chair, Ct)).Value!.CasesWithoutCopy);
        await ReadAsync(w, hidden, w.InQueue);
        Assert.Equal(0, (await recovery.StatusAsync(w.Chair, Ct)).Value!.CasesWithoutCopy);
        await using var db = await w.Db.ContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "case.key-granted" && e.Details == "to=recovery", Ct));
    }
}
