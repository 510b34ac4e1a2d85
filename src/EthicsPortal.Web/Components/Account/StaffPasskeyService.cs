using System.Security.Claims;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Components.Account;

/// <param name="UnlocksKey">Whether signing in with it also unlocks the member's key (the authenticator gave a PRF output).</param>
public sealed record StaffPasskey(string Id, string Name, DateTimeOffset CreatedAt, bool UnlocksKey);

/// <summary>What became of an attempt to add a passkey; the page words each case.</summary>
public enum PasskeyAddResult { Added, NeedsSecondFactor, TooMany, Expired, NotVerified, NotSaved, Missing }

/// <summary>
/// Staff passkeys (WebAuthn) through .NET 10 Identity: a passkey is phishing-resistant and verifies the person on the
/// device, so signing in with one counts as multi-factor. Adding a passkey to an account that already has a second
/// factor needs a session that proved it; otherwise a stolen password could add its own passkey.
/// </summary>
public sealed class StaffPasskeyService(
    UserManager<StaffUser> users, SignInManager<StaffUser> signIn, AuditLog audit, IOptions<StaffSessionOptions> session,
    EthicsPortal.Core.Sealing.MemberKeys memberKeys)
{
    public const int NameMaxLength = 60;
    public const int MaxPasskeys = 10;

    public async Task<IReadOnlyList<StaffPasskey>> ListAsync(StaffUser user)
    {
        var unlocking = (await memberKeys.PasskeysThatUnlockAsync(user.Id)).Select(Base64UrlId).ToHashSet(StringComparer.Ordinal);
        return [.. (await users.GetPasskeysAsync(user))
            .OrderBy(p => p.CreatedAt)
            .Select(p => new StaffPasskey(Base64UrlId(p.CredentialId), p.Name ?? "Passkey", p.CreatedAt, unlocking.Contains(Base64UrlId(p.CredentialId))))];
    }

    /// <summary>May this session add or remove passkeys?</summary>
    public async Task<bool> MayManageAsync(StaffUser user, ClaimsPrincipal principal)
        => principal.HasClaim(StaffClaims.Amr, "mfa") || !session.Value.RequireStaffMfa
           || (!await users.GetTwoFactorEnabledAsync(user) && (await users.GetPasskeysAsync(user)).Count == 0);

    /// <summary>Identity's options, asking the authenticator for a PRF output too, so the new passkey can unlock the member's key.</summary>
    public async Task<string> CreationOptionsAsync(StaffUser user)
        => PasskeyPrf.AskFor(await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity { Id = user.Id, Name = user.Email!, DisplayName = user.DisplayName }));

    /// <summary>Verifies the browser's attestation against the challenge kept in this visit, stores the key, upgrades the session.</summary>
    public async Task<PasskeyAddResult> AddAsync(StaffUser user, ClaimsPrincipal principal, string credentialJson, string? name, CancellationToken ct)
    {
        if (!await MayManageAsync(user, principal))
            return PasskeyAddResult.NeedsSecondFactor;
        if ((await users.GetPasskeysAsync(user)).Count >= MaxPasskeys)
            return PasskeyAddResult.TooMany;
        PasskeyAttestationResult result;
        try
        {
            result = await signIn.PerformPasskeyAttestationAsync(credentialJson);
        }
        catch (InvalidOperationException)
        {
            return PasskeyAddResult.Expired;   // no challenge in this visit (expired or replayed)
        }
        if (!result.Succeeded || result.UserEntity.Id != user.Id)
        {
            await audit.AppendAsync(new AuditRecord(AuditActors.Staff(user.Id), "account.passkey-refused", $"user:{user.Id}"), ct);
            return PasskeyAddResult.NotVerified;
        }
        var passkey = result.Passkey;
        passkey.Name = Clean(name) ?? $"Passkey {passkey.CreatedAt:yyyy-MM-dd}";
        var stored = await users.AddOrUpdatePasskeyAsync(user, passkey);
        if (!stored.Succeeded)
            return PasskeyAddResult.NotSaved;
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(user.Id), "account.passkey-added", $"user:{user.Id}"), ct);
        // Where the authenticator gave a PRF output, the member's key is wrapped under it (now, or at their next unlock).
        await memberKeys.EnrolPasskeyAsync(user.Id, passkey.CredentialId, PasskeyPrf.Output(credentialJson), ct);
        // The device just verified the person; like a first TOTP code, this session now counts as multi-factor.
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(StaffClaims.Amr, "mfa")]);
        return PasskeyAddResult.Added;
    }

    public async Task<bool> RemoveAsync(StaffUser user, ClaimsPrincipal principal, string id, CancellationToken ct)
    {
        if (!await MayManageAsync(user, principal) || !TryDecode(id, out var credentialId))
            return false;
        if (await users.GetPasskeyAsync(user, credentialId) is null)
            return false;
        await memberKeys.ForgetPasskeyAsync(user.Id, credentialId, ct);
        var removed = await users.RemovePasskeyAsync(user, credentialId);
        if (removed.Succeeded)
            await audit.AppendAsync(new AuditRecord(AuditActors.Staff(user.Id), "account.passkey-removed", $"user:{user.Id}"), ct);
        return removed.Succeeded;
    }

    /// <summary>
    /// The origin the browser signed into the credential must be this portal's. Identity's default compares it with the
    /// request's Origin header, which browsers send as "null" under our Referrer-Policy: no-referrer; so compare with
    /// the configured origins, or the origin the request arrived on, and never accept a credential made in a frame.
    /// </summary>
    public static ValueTask<bool> IsOwnOrigin(PasskeyOriginValidationContext context)
    {
        if (context.CrossOrigin || context.TopOrigin is not null)
            return ValueTask.FromResult(false);
        var configured = context.HttpContext.RequestServices.GetRequiredService<IOptions<StaffSessionOptions>>().Value.PasskeyOrigins;
        var request = context.HttpContext.Request;
        var allowed = configured.Length > 0 ? configured : [$"{request.Scheme}://{request.Host.Value}"];
        return ValueTask.FromResult(allowed.Any(o => string.Equals(o.TrimEnd('/'), context.Origin, StringComparison.OrdinalIgnoreCase)));
    }

    private static string? Clean(string? name)
    {
        var trimmed = new string((name ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        return trimmed.Length == 0 ? null : trimmed[..Math.Min(trimmed.Length, NameMaxLength)];
    }

    private static string Base64UrlId(byte[] id) => Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(id);

    private static bool TryDecode(string id, out byte[] bytes)
    {
        try
        {
            bytes = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(id);
            return bytes.Length is > 0 and <= 1024;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
