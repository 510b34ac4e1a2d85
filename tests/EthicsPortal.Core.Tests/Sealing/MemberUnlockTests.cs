using System.Security.Cryptography;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Security;
using EthicsPortal.Core.Tests.Cases;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Tests.Sealing;

/// <summary>
/// The other two ways a member's key is unlocked (#16 promise 3): a passkey's WebAuthn PRF output, and for a single
/// sign-on account (no password here) an unlock passphrase the member chose.
/// </summary>
public class MemberUnlockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Description = "Recordings of civilians' calls.";

    private static async Task<ContentAccess> AccessAsync(Workspace w, int caseId, string userId)
        => (await w.Get<CaseQueries>().GetAsync(caseId, userId, Ct)).Value!.Access;

    private static async Task<int> WrapsAsync(Workspace w, string userId)
    {
        await using var db = await w.Db.ContextAsync();
        return await db.PasskeyWraps.CountAsync(x => x.UserId == userId, Ct);
    }

    private static async Task<string> ActionsAsync(Workspace w, string userId)
    {
        await using var db = await w.Db.ContextAsync();
        var actions = await db.AuditEntries.Where(e => e.Subject == $"user:{userId}").OrderBy(e => e.Id).Select(e => e.Action + "|" + e.Details).ToListAsync(Ct);
        return string.Join("\n", actions);
    }

    [Fact]
    public async Task APasskeyAddedWhileTheKeyIsOpen_UnlocksItAlone_AndAWrongOutputOrAnotherPasskeyDoesNot()
    {
        await using var w = await Workspace.CreateAsync();
        var caseId = await w.ConcernAsync();
        var keys = w.Get<MemberKeys>();
        var credential = RandomNumberGenerator.GetBytes(16);
        var prf = RandomNumberGenerator.GetBytes(32);

        await keys.EnrolPasskeyAsync(w.Chair, credential, prf, Ct);
        Assert.Equal(1, await WrapsAsync(w, w.Chair));
        await using (var db = await w.Db.ContextAsync())
        {
            var wrap = await db.PasskeyWraps.SingleAsync(x => x.UserId == w.Chair, Ct);
            Assert.DoesNotContain(Convert.ToHexString(prf), Convert.ToHexString(wrap.Wrapped), StringComparison.Ordinal);
        }

        keys.Lock(w.Chair);   // a sign-out, the idle timeout or a restart
        Assert.Equal(ContentAccess.Locked, await AccessAsync(w, caseId, w.Chair));
        Assert.Equal(UnlockOutcome.WrongSecret, await keys.UnlockWithPasskeyAsync(w.Chair, credential, RandomNumberGenerator.GetBytes(32), Ct));
        Assert.Equal(UnlockOutcome.NoKey, await keys.UnlockWithPasskeyAsync(w.Chair, RandomNumberGenerator.GetBytes(16), prf, Ct));
        Assert.Equal(UnlockOutcome.NoKey, await keys.UnlockWithPasskeyAsync(w.Chair, credential, null, Ct));   // no PRF on this device
        Assert.Equal(UnlockOutcome.NoKey, await keys.UnlockWithPasskeyAsync(w.Chair, credential, new byte[16], Ct));
        Assert.Equal(ContentAccess.Locked, await AccessAsync(w, caseId, w.Chair));
        // Another member's copy of the same passkey output opens nothing of the chair's: the wrap key binds the member.
        keys.Lock(w.InQueue);
        Assert.Equal(UnlockOutcome.NoKey, await keys.UnlockWithPasskeyAsync(w.InQueue, credential, prf, Ct));

        Assert.Equal(UnlockOutcome.Unlocked, await keys.UnlockWithPasskeyAsync(w.Chair, credential, prf, Ct));
        Assert.Equal(Description, (await w.Get<CaseQueries>().GetAsync(caseId, w.Chair, Ct)).Value!.Report.Description);
        var actions = await ActionsAsync(w, w.Chair);
        Assert.Contains("keys.passkey-wrapped|", actions, StringComparison.Ordinal);
        Assert.Contains("keys.unlock-failed|passkey", actions, StringComparison.Ordinal);
        Assert.Contains("keys.unlocked|passkey", actions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APasskeyUsedWhileTheKeyIsLocked_WrapsItAtTheNextUnlockWithThePassword_ThenUnlocksAlone()
    {
        await using var w = await Workspace.CreateAsync();
        var caseId = await w.ConcernAsync();
        var keys = w.Get<MemberKeys>();
        var credential = RandomNumberGenerator.GetBytes(16);
        var prf = RandomNumberGenerator.GetBytes(32);
        keys.Lock(w.InQueue);

        // A device that gives its PRF output only at sign-in, not when the passkey was made: nothing to open yet.
        Assert.Equal(UnlockOutcome.NoKey, await keys.UnlockWithPasskeyAsync(w.InQueue, credential, prf, Ct));
        Assert.Equal(0, await WrapsAsync(w, w.InQueue));
        Assert.True((await keys.UnlockForSessionAsync(w.InQueue, Workspace.Password, Ct)).Succeeded);
        Assert.Equal(1, await WrapsAsync(w, w.InQueue));

        keys.Lock(w.InQueue);
        Assert.Equal(UnlockOutcome.Unlocked, await keys.UnlockWithPasskeyAsync(w.InQueue, credential, prf, Ct));
        Assert.Equal(ContentAccess.Open, await AccessAsync(w, caseId, w.InQueue));
    }

    [Fact]
    public async Task ARemovedPasskeyOrAnAdminsReset_LeavesNoWrap()
    {
        await using var w = await Workspace.CreateAsync();
        var keys = w.Get<MemberKeys>();
        var credential = RandomNumberGenerator.GetBytes(16);
        var prf = RandomNumberGenerator.GetBytes(32);
        await keys.EnrolPasskeyAsync(w.InQueue, credential, prf, Ct);
        await keys.ForgetPasskeyAsync(w.InQueue, credential, Ct);
        Assert.Equal(0, await WrapsAsync(w, w.InQueue));

        await keys.EnrolPasskeyAsync(w.InQueue, credential, prf, Ct);
        Assert.Equal(1, await WrapsAsync(w, w.InQueue));
        Assert.True((await w.Get<StaffAccountService>().ResetPasswordAsync(w.InQueue, "a password the admin typed", w.Admin, Ct)).Succeeded);
        // The wrap held the old private key; the new key pair has none, and the passkey opens nothing.
        Assert.Equal(0, await WrapsAsync(w, w.InQueue));
        Assert.Equal(UnlockOutcome.NoKey, await keys.UnlockWithPasskeyAsync(w.InQueue, credential, prf, Ct));
        Assert.False(keys.IsUnlocked(w.InQueue));
    }

    /// <summary>An account as single sign-on makes it: no password, a committee role.</summary>
    private static async Task<string> SingleSignOnChairAsync(Workspace w)
    {
        await using var scope = w.Get<IServiceScopeFactory>().CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = new StaffUser { UserName = "sso.chair@test.local", Email = "sso.chair@test.local", EmailConfirmed = true, DisplayName = "Sso Chair" };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Chair)).Succeeded);
        return user.Id;
    }

    [Fact]
    public async Task ASingleSignOnMember_ChoosesAnUnlockPassphrase_IsConfirmed_AndUnlocksWithIt()
    {
        await using var w = await Workspace.CreateAsync();
        var keys = w.Get<MemberKeys>();
        var sso = await SingleSignOnChairAsync(w);
        Assert.Equal(UnlockSecret.NoPassphrase, await keys.SecretKindAsync(sso, Ct));
        Assert.Equal(UnlockSecret.Password, await keys.SecretKindAsync(w.Chair, Ct));
        var before = await w.ConcernAsync();
        Assert.Equal(ContentAccess.WaitingForGrant, await AccessAsync(w, before, sso));

        Assert.Equal(ErrorKind.Validation, (await keys.SetPassphraseAsync(sso, null, "short", false, Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.Validation, (await keys.SetPassphraseAsync(w.Chair, null, "a passphrase for a password account", false, Ct)).Error!.Kind);
        await using (var db = await w.Db.ContextAsync())
            Assert.False(await db.MemberKeys.AnyAsync(k => k.UserId == sso, Ct));

        Assert.True((await keys.SetPassphraseAsync(sso, null, "sso chair's own passphrase", false, Ct)).Succeeded);
        Assert.Equal(UnlockSecret.Passphrase, await keys.SecretKindAsync(sso, Ct));
        Assert.True(keys.IsUnlocked(sso));
        await using (var db = await w.Db.ContextAsync())
        {
            var key = await db.MemberKeys.SingleAsync(k => k.UserId == sso, Ct);
            Assert.True(key.OwnSecret);
            Assert.Null(key.ConfirmedAt);   // other confirmed members exist: a chair vouches for the new one
        }
        Assert.True((await w.Get<KeyAccessService>().ConfirmAsync(w.Chair, sso, Ct)).Succeeded);
        Assert.True((await w.Get<KeyAccessService>().GrantAllAsync(w.Chair, Ct)).Succeeded);
        Assert.Equal(ContentAccess.Open, await AccessAsync(w, before, sso));
        var after = await w.ConcernAsync();   // sealed to the new member at intake

        keys.Lock(sso);
        Assert.Equal(ContentAccess.Locked, await AccessAsync(w, after, sso));
        Assert.False((await keys.UnlockForSessionAsync(sso, "not the passphrase at all", Ct)).Succeeded);
        Assert.True((await keys.UnlockForSessionAsync(sso, "sso chair's own passphrase", Ct)).Succeeded);
        Assert.Equal(Description, (await w.Get<CaseQueries>().GetAsync(after, sso, Ct)).Value!.Report.Description);

        // A change needs the current passphrase; afterwards only the new one opens the key, and nothing is lost.
        Assert.Equal(ErrorKind.Validation, (await keys.SetPassphraseAsync(sso, "a wrong current passphrase", "the sso chair's next one", false, Ct)).Error!.Kind);
        Assert.True((await keys.SetPassphraseAsync(sso, "sso chair's own passphrase", "the sso chair's next one", false, Ct)).Succeeded);
        keys.Lock(sso);
        Assert.False((await keys.UnlockForSessionAsync(sso, "sso chair's own passphrase", Ct)).Succeeded);
        Assert.True((await keys.UnlockForSessionAsync(sso, "the sso chair's next one", Ct)).Succeeded);
        Assert.Equal(ContentAccess.Open, await AccessAsync(w, before, sso));

        // Forgotten: a new key pair, every old copy gone, confirmed again before anything is sealed to it.
        Assert.True((await keys.SetPassphraseAsync(sso, null, "a fresh start passphrase", true, Ct)).Succeeded);
        Assert.Equal(ContentAccess.WaitingForGrant, await AccessAsync(w, before, sso));
        await using (var db = await w.Db.ContextAsync())
        {
            Assert.False(await CaseSealing.HeldBy(db, sso).AnyAsync(Ct));
            Assert.Null((await db.MemberKeys.SingleAsync(k => k.UserId == sso, Ct)).ConfirmedAt);
        }
        var actions = await ActionsAsync(w, sso);
        Assert.Contains("keys.created|unlock passphrase", actions, StringComparison.Ordinal);
        Assert.Contains("keys.passphrase-changed|unlock passphrase", actions, StringComparison.Ordinal);
        Assert.Contains("keys.replaced|unlock passphrase", actions, StringComparison.Ordinal);
    }
}
