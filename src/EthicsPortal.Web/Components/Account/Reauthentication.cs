using System.Collections.Concurrent;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Identity;

namespace EthicsPortal.Web.Components.Account;

public enum ReauthenticationResult { Confirmed, Wrong, TooManyTries }

/// <summary>
/// "Confirm it is you" before a sensitive act (revealing a reporter's identity): the password, and the current code
/// when the account has an authenticator. Wrong answers have a limit of their own (5 in 15 minutes pauses only this
/// check) and never count toward the sign-in lockout, so a confused member cannot lock themselves out of the portal.
/// Own scope per call: circuits live long.
/// </summary>
public sealed class Reauthentication(IServiceScopeFactory scopes, AuditLog audit, TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Since)> _failures = new(StringComparer.Ordinal);

    /// <summary>Whether this member must also give an authenticator code.</summary>
    public async Task<bool> NeedsCodeAsync(string userId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        return await users.FindByIdAsync(userId) is { } user && await users.GetTwoFactorEnabledAsync(user);
    }

    public async Task<ReauthenticationResult> VerifyAsync(string userId, string? password, string? code, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_failures.TryGetValue(userId, out var failed) && failed.Failures >= MaxFailures && now - failed.Since < Window)
            return ReauthenticationResult.TooManyTries;

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null || await users.IsLockedOutAsync(user))
            return ReauthenticationResult.Wrong;
        var ok = await users.CheckPasswordAsync(user, password ?? "")
                 && (!await users.GetTwoFactorEnabledAsync(user)
                     || await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, StaffMfaService.Clean(code ?? "")));
        if (ok)
            _failures.TryRemove(userId, out _);
        else
            _failures.AddOrUpdate(userId, (1, now), (_, f) => now - f.Since < Window ? (f.Failures + 1, f.Since) : (1, now));
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(userId), ok ? "account.reauthenticated" : "account.reauthentication-failed", $"user:{userId}"), ct);
        return ok ? ReauthenticationResult.Confirmed : ReauthenticationResult.Wrong;
    }
}
