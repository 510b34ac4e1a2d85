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
/// A passkey confirms it too: the browser's ceremony is verified by an endpoint, and the circuit takes the result.
/// Own scope per call: circuits live long.
/// </summary>
public sealed class Reauthentication(IServiceScopeFactory scopes, AuditLog audit, TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>How long a verified passkey stands for one sensitive act of its member.</summary>
    public static readonly TimeSpan PasskeyConfirmationLifetime = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Since)> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _passkeyConfirmed = new(StringComparer.Ordinal);

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
        if (Paused(userId, now))
            return ReauthenticationResult.TooManyTries;

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null || await users.IsLockedOutAsync(user))
            return ReauthenticationResult.Wrong;
        // A single sign-on account has no password here: its unlock passphrase, which opens its key, confirms it instead.
        var secretOk = await users.HasPasswordAsync(user)
            ? await users.CheckPasswordAsync(user, password ?? "")
            : await scope.ServiceProvider.GetRequiredService<EthicsPortal.Core.Sealing.MemberKeys>().OpensKeyAsync(userId, password, ct);
        var ok = secretOk
                 && (!await users.GetTwoFactorEnabledAsync(user)
                     || await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, StaffMfaService.Clean(code ?? "")));
        return await RecordAsync(userId, ok, now, "", ct);
    }

    /// <summary>
    /// Verifies a passkey assertion made in the browser for the signed-in member (the challenge sits in this browser's
    /// short-lived Identity cookie, so it cannot be replayed elsewhere). On success the member may take one
    /// confirmation within <see cref="PasskeyConfirmationLifetime"/>; failures count toward the same limit as passwords.
    /// </summary>
    public async Task<ReauthenticationResult> VerifyPasskeyAsync(string userId, SignInManager<StaffUser> signIn, string credentialJson, CancellationToken ct,
        Func<byte[], Task>? verified = null)
    {
        var now = time.GetUtcNow();
        if (Paused(userId, now))
            return ReauthenticationResult.TooManyTries;
        PasskeyAssertionResult<StaffUser>? assertion = null;
        try
        {
            assertion = await signIn.PerformPasskeyAssertionAsync(credentialJson);
        }
        catch (InvalidOperationException)
        {
            // no challenge in this browser (expired or replayed): a failure like any other
        }
        var ok = assertion is { Succeeded: true } && assertion.User.Id == userId
                 && (await signIn.UserManager.AddOrUpdatePasskeyAsync(assertion.User, assertion.Passkey)).Succeeded;   // the signature counter
        if (ok)
        {
            _passkeyConfirmed[userId] = now;
            if (verified is not null)
                await verified(assertion!.Passkey!.CredentialId);
        }
        return await RecordAsync(userId, ok, now, "with passkey", ct);
    }

    /// <summary>Takes the member's passkey confirmation, if one is fresh: it serves a single act.</summary>
    public ReauthenticationResult TakePasskeyConfirmation(string userId)
    {
        var now = time.GetUtcNow();
        if (Paused(userId, now))
            return ReauthenticationResult.TooManyTries;
        return _passkeyConfirmed.TryRemove(userId, out var at) && now - at < PasskeyConfirmationLifetime
            ? ReauthenticationResult.Confirmed
            : ReauthenticationResult.Wrong;
    }

    private bool Paused(string userId, DateTimeOffset now)
        => _failures.TryGetValue(userId, out var failed) && failed.Failures >= MaxFailures && now - failed.Since < Window;

    private async Task<ReauthenticationResult> RecordAsync(string userId, bool ok, DateTimeOffset now, string how, CancellationToken ct)
    {
        if (ok)
            _failures.TryRemove(userId, out _);
        else
            _failures.AddOrUpdate(userId, (1, now), (_, f) => now - f.Since < Window ? (f.Failures + 1, f.Since) : (1, now));
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(userId), ok ? "account.reauthenticated" : "account.reauthentication-failed", $"user:{userId}", how), ct);
        return ok ? ReauthenticationResult.Confirmed : ReauthenticationResult.Wrong;
    }
}
