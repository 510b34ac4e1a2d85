namespace EthicsPortal.Core.Security;

/// <summary>Staff sign-in rules (appsettings.json "Security").</summary>
public sealed class StaffSessionOptions
{
    public const string Section = "Security";

    /// <summary>Handler, Chair, HR, Legal and Admin must use a second factor (TOTP). Off only for local demos and focused tests.</summary>
    public bool RequireStaffMfa { get; set; } = true;

    public int IdleTimeoutMinutes { get; set; } = 30;
    public int AbsoluteTimeoutHours { get; set; } = 12;

    /// <summary>Revealing a reporter's identity needs the password (and code) entered within this many minutes.</summary>
    public int ReauthenticationMinutes { get; set; } = 5;

    /// <summary>
    /// The portal's public origins (e.g. "https://ethics.example.com") that passkeys are bound to. Empty: the origin
    /// the request arrived on. Set it behind a proxy that rewrites the scheme or host.
    /// </summary>
    public string[] PasskeyOrigins { get; set; } = [];

    public static readonly IReadOnlyList<string> MfaRoles = [Roles.Handler, Roles.Chair, Roles.HR, Roles.Legal, Roles.Admin];
}

public static class StaffClaims
{
    /// <summary>When the person proved who they are (unix seconds); survives sliding renewal, so the 12-hour limit is absolute.</summary>
    public const string AuthTime = "auth_time";

    /// <summary>Identity's "authentication methods" claim; "mfa" when a second factor was used.</summary>
    public const string Amr = "amr";

    public const string DisplayName = "display_name";

    /// <summary>On an account whose password someone else typed (an Admin creating it): the owner must choose their own first.</summary>
    public const string MustChangePassword = "ep:must-change-password";
}
