using System.Security.Claims;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Identity;

namespace EthicsPortal.Web.Components.Account;

public enum SignInOutcome { SignedIn, Failed, LockedOut, NeedsSecondFactor }

/// <summary>Staff password sign-in with lockout, every outcome written to the audit chain.</summary>
public sealed class StaffSignInService(SignInManager<StaffUser> signIn, UserManager<StaffUser> users, AuditLog audit)
{
    public async Task<(SignInOutcome Outcome, string Landing)> SignInAsync(string email, string password, CancellationToken ct)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Hash anyway, so an unknown address costs as long as a known one.
            users.PasswordHasher.HashPassword(new StaffUser(), password);
            await audit.AppendAsync(new AuditRecord(AuditActors.Anonymous, "account.signin-failed", "user:unknown"), ct);
            return (SignInOutcome.Failed, "");
        }

        var wasLocked = await users.IsLockedOutAsync(user);
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        var subject = $"user:{user.Id}";
        if (result.Succeeded)
        {
            await audit.AppendAsync(new AuditRecord(AuditActors.Staff(user.Id), "account.signin", subject), ct);
            return (SignInOutcome.SignedIn, await LandingAsync(user));
        }
        if (result.RequiresTwoFactor)
        {
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
            await audit.AppendAsync(new AuditRecord(AuditActors.Staff(user.Id), isRecoveryCode ? "account.signin-recovery-code" : "account.signin", subject, "with second factor"), ct);
            return (SignInOutcome.SignedIn, await LandingAsync(user));
        }
        await audit.AppendAsync(new AuditRecord(AuditActors.Anonymous, result.IsLockedOut ? "account.lockout" : "account.second-factor-failed", subject), ct);
        return (result.IsLockedOut ? SignInOutcome.LockedOut : SignInOutcome.Failed, "");
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
        if (await users.IsLockedOutAsync(user))
        {
            await audit.AppendAsync(new AuditRecord(AuditActors.Anonymous, "account.signin-while-locked", subject, "passkey"), ct);
            return (SignInOutcome.LockedOut, "");
        }
        if (!(await users.AddOrUpdatePasskeyAsync(user, assertion.Passkey)).Succeeded)
            return (SignInOutcome.Failed, "");
        await users.ResetAccessFailedCountAsync(user);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false,
            [new Claim(StaffClaims.Amr, "mfa"), new Claim(ClaimTypes.AuthenticationMethod, "passkey")]);
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(user.Id), "account.signin", subject, "with passkey"), ct);
        return (SignInOutcome.SignedIn, await LandingAsync(user));
    }

    public async Task SignOutAsync(string? userId, CancellationToken ct)
    {
        await signIn.SignOutAsync();
        if (userId is not null)
            await audit.AppendAsync(new AuditRecord(AuditActors.Staff(userId), "account.signout", $"user:{userId}"), ct);
    }

    /// <summary>Employees sign in to report confidentially; they have no staff overview to land on.</summary>
    private async Task<string> LandingAsync(StaffUser user)
        => (await users.GetRolesAsync(user)).All(r => r == Roles.Employee) ? "/me" : "/staff";
}
