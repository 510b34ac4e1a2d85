using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Identity;

namespace EthicsPortal.Web.Components.Account;

/// <summary>
/// "Sign in again" before a sensitive act (revealing a reporter's identity): the password, and the current
/// code when MFA is on. Failures count toward lockout like any sign-in. Own scope per call: circuits live long.
/// </summary>
public sealed class Reauthentication(IServiceScopeFactory scopes, AuditLog audit)
{
    public async Task<bool> VerifyAsync(string userId, string? password, string? code, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null || await users.IsLockedOutAsync(user))
            return false;
        var ok = await users.CheckPasswordAsync(user, password ?? "")
                 && (!await users.GetTwoFactorEnabledAsync(user)
                     || await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, StaffMfaService.Clean(code ?? "")));
        if (!ok)
            await users.AccessFailedAsync(user);
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(userId), ok ? "account.reauthenticated" : "account.reauthentication-failed", $"user:{userId}"), ct);
        return ok;
    }
}
