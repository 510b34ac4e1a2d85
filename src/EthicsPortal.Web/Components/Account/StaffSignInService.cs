using System.Security.Claims;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Identity;

namespace EthicsPortal.Web.Components.Account;

public enum SignInOutcome { SignedIn, Failed, LockedOut, NeedsSecondFactor }

/// <summary>
/// Staff password sign-in, throttled by <see cref="SignInThrottle"/> so that guessing is slow and an outsider cannot lock
/// a member out with a few tries; every outcome is written to the audit chain. An address without an account answers
/// in the same words and the same time as one with an account, locked or not.
/// </summary>
public sealed class StaffSignInService(SignInManager<StaffUser> signIn, UserManager<StaffUser> users, AuditLog audit, SignInThrottle throttle,
    EthicsPortal.Core.Sealing.MemberKeys memberKeys, EthicsPortal.Core.Sealing.KeyChain keyChain)
{
    /// <summary>Consecutive wrong second-factor codes (only someone who knows the password gets there) before a pause.</summary>
    public const int MaxSecondFactorFailures = 5;

    public async Task<(SignInOutcome Outcome, string Landing)> SignInAsync(string email, string password, string client, CancellationToken ct)
    {
        var (outcome, landing) = await throttle.CheckAsync(email, client, () => CheckPasswordAsync(email, password, ct), ct);
        if (outcome is SignInOutcome.SignedIn or SignInOutcome.NeedsSecondFactor)
            throttle.Succeeded(email, client);
        else
            throttle.Failed(email, client);
        return (outcome, landing);
    }

    private async Task<(SignInOutcome Outcome, string Landing)> CheckPasswordAsync(string email, string password, CancellationToken ct)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Hash anyway, so an unknown address costs as long as a known one, and lock it as a known one would be.
            users.PasswordHasher.HashPassword(new StaffUser(), password);
            var locked = throttle.UnknownLocked(email, StaffIdentity.MaxFailedAttempts, StaffIdentity.LockoutDuration)
                         || throttle.UnknownFailed(email, StaffIdentity.MaxFailedAttempts, StaffIdentity.LockoutDuration);
            await audit.AppendAsync(new AuditRecord(AuditActors.Anonymous, "account.signin-failed", "user:unknown"), ct);
            return (locked ? SignInOutcome.LockedOut : SignInOutcome.Failed, "");
        }

        var wasLocked = await users.IsLockedOutAsync(user);
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (wasLocked)
            users.PasswordHasher.HashPassword(user, password);   // Identity answers a locked account without hashing: not faster than the rest
        var subject = $"user:{user.Id}";
        if (result.Succeeded)
        {
            // The password that proved the person also unlocks their private key, for this session only (#16).
            await memberKeys.UnlockAsync(user.Id, password, ct: ct);
            await audit.AppendAsync(new AuditRecord(AuditActors.Staff(user.Id), "account.signin", subject), ct);
            return (SignInOutcome.SignedIn, await LandingAsync(user));
        }
        if (result.RequiresTwoFactor)
        {
            // Unlocked now (the password is not kept for the second step) and held only until the code completes the sign-in.
            await memberKeys.UnlockAsync(user.Id, password, pending: true, ct);
            await audit.AppendAsync(new AuditRecord(AuditActors.Anonymous, "account.password-accepted", subject, "second factor required"), ct);
            return (SignInOutcome.NeedsSecondFactor, "/account/login-2fa");
        }
        if (result.IsLockedOut)
        {
            await audit.AppendAsync(new AuditRecord(AuditActors.Anonymous, wasLocked ? "account.signin-while-locked" : "account.lockout", subject), ct);
            return (SignInOutcome.LockedOut, "");
        }
        await audit.AppendAsync(new AuditRecord(AuditActors.Anonymous, "account.signin-failed", subject), ct);
        return (SignInOutcome.Failed, "");
    }

    /// <summary>The second step: an authenticator code, or one of the recovery codes.</summary>
    public async Task<(SignInOutcome Outcome, string Landing)> SecondFactorAsync(string code, bool isRecoveryCode, CancellationToken ct)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
            return (SignInOutcome.Failed, "/account/login");
        // Recovery codes are stored as issued ("XXXXX-XXXXX"); authenticator codes are digits, however they were typed.
        var result = isRecoveryCode
            ? await signIn.TwoFactorRecoveryCodeSignInAsync(code.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())
            : await signIn.TwoFactorAuthenticatorSignInAsync(StaffMfaService.Clean(code), isPersistent: false, rememberClient: false);
        var subject = $"user:{user.Id}";
        if (result.Succeeded)
        {
            keyChain.Promote(user.Id);
            await audit.AppendAsync(new AuditRecord(AuditActors.Staff(user.Id), isRecoveryCode ? "account.signin-recovery-code" : "account.signin", subject, "with second factor"), ct);
            return (SignInOutcome.SignedIn, await LandingAsync(user));
        }
        // Identity's counter allows 100 tries, too many for a six-digit code: five wrong codes in a row pause the account.
        var lockedNow = result.IsLockedOut;
        if (!lockedNow && await users.GetAccessFailedCountAsync(user) >= MaxSecondFactorFailures)
        {
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow + StaffIdentity.LockoutDuration);
            await users.ResetAccessFailedCountAsync(user);
            lockedNow = true;
        }
        await audit.AppendAsync(new AuditRecord(AuditActors.Anonymous, lockedNow ? "account.lockout" : "account.second-factor-failed", subject), ct);
        return (lockedNow ? SignInOutcome.LockedOut : SignInOutcome.Failed, "");
    }

    /// <summary>
    /// Sign-in with a passkey (a discoverable credential, so no email is typed). The authenticator verified the person,
    /// so the session counts as multi-factor. Lockout still applies; the sign count is updated against cloned keys.
    /// </summary>
    public async Task<(SignInOutcome Outcome, string Landing)> PasskeySignInAsync(string credentialJson, CancellationToken ct)
    {
        PasskeyAssertionResult<StaffUser> assertion;
        try
        {
            assertion = await signIn.PerformPasskeyAssertionAsync(credentialJson);
        }
        catch (InvalidOperationException)
        {
            return (SignInOutcome.Failed, "");   // no challenge in this visit: expired or replayed
        }
        if (!assertion.Succeeded)
        {
            await audit.AppendAsync(new AuditRecord(AuditActors.Anonymous, "account.signin-failed", "user:unknown", "passkey not verified"), ct);
            return (SignInOutcome.Failed, "");
        }
        var user = assertion.User;
        var subject = $"user:{user.Id}";
        // A pause after wrong passwords does not stop a passkey, which cannot be guessed: that is the member's way in while
        // someone else is guessing. An administrator's lock (without end) does.
        if (await users.IsLockedOutAsync(user) && await users.GetLockoutEndDateAsync(user) == DateTimeOffset.MaxValue)
        {
            await audit.AppendAsync(new AuditRecord(AuditActors.Anonymous, "account.signin-while-locked", subject, "passkey"), ct);
            return (SignInOutcome.LockedOut, "");
        }
        if (!(await users.AddOrUpdatePasskeyAsync(user, assertion.Passkey)).Succeeded)
            return (SignInOutcome.Failed, "");
        await users.ResetAccessFailedCountAsync(user);
        if (await users.IsLockedOutAsync(user))
            await users.SetLockoutEndDateAsync(user, null);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false,
            [new Claim(StaffClaims.Amr, "mfa"), new Claim(ClaimTypes.AuthenticationMethod, "passkey")]);
        // A passkey that gave a PRF output unlocks the member's key alone (#16); one without leaves it locked.
        await memberKeys.UnlockWithPasskeyAsync(user.Id, assertion.Passkey.CredentialId, PasskeyPrf.Output(credentialJson), ct);
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(user.Id), "account.signin", subject, "with passkey"), ct);
        return (SignInOutcome.SignedIn, await LandingAsync(user));
    }

    public async Task SignOutAsync(string? userId, CancellationToken ct)
    {
        await signIn.SignOutAsync();
        if (userId is not null)
            keyChain.Drop(userId);   // the private key leaves memory with the session
        if (userId is not null)
            await audit.AppendAsync(new AuditRecord(AuditActors.Staff(userId), "account.signout", $"user:{userId}"), ct);
    }

    /// <summary>Employees sign in to report confidentially; they have no staff overview to land on.</summary>
    private async Task<string> LandingAsync(StaffUser user)
        => (await users.GetRolesAsync(user)).All(r => r == Roles.Employee) ? "/me" : "/staff";
}
