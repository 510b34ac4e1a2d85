using System.Security.Claims;
using System.Text;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Identity;
using QRCoder;

namespace EthicsPortal.Web.Components.Account;

public sealed record MfaEnrolment(string SharedKey, string QrCodeDataUri);

/// <summary>
/// Staff second factor: TOTP (RFC 6238) through Identity's authenticator provider, enrolment by QR code,
/// ten one-time recovery codes, and re-authentication before sensitive acts.
/// </summary>
public sealed class StaffMfaService(UserManager<StaffUser> users, SignInManager<StaffUser> signIn, AuditLog audit)
{
    public const string Issuer = "EthicsPortal";

    public async Task<MfaEnrolment> StartEnrolmentAsync(StaffUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            // A key that is only shown, not yet confirmed with a code, changes nothing about how the account signs in, so it
            // is stored without a new security stamp (ResetAuthenticatorKeyAsync's would end every session of the member,
            // the one enrolling too, at its next validation). Turning the second factor on rotates the stamp.
            key = users.GenerateNewAuthenticatorKey();
            await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", key);
            key = (await users.GetAuthenticatorKeyAsync(user))!;
        }
        var uri = $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        var png = new PngByteQRCode(data).GetGraphic(5);
        return new MfaEnrolment(Group(key), "data:image/png;base64," + Convert.ToBase64String(png));
    }

    /// <summary>Checks the first code, turns MFA on, returns the recovery codes (shown once), and upgrades this session.</summary>
    public async Task<IReadOnlyList<string>?> CompleteEnrolmentAsync(StaffUser user, string code, CancellationToken ct)
    {
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Clean(code)))
            return null;
        await users.SetTwoFactorEnabledAsync(user, true);
        var recovery = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? []).ToList();
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(StaffClaims.Amr, "mfa")]);
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(user.Id), "account.mfa-enabled", $"user:{user.Id}"), ct);
        return recovery;
    }

    internal static string Clean(string code) => code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);

    private static string Group(string key)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
            sb.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        return sb.ToString().TrimEnd().ToLowerInvariant();
    }
}
