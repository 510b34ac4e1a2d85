using Microsoft.AspNetCore.Identity;

namespace EthicsPortal.Core.Security;

/// <summary>How staff passwords and lockout work; one place, used by the host and the tests alike.</summary>
public static class StaffIdentity
{
    /// <summary>OWASP ASVS 5.0: PBKDF2-HMAC-SHA512 with at least 210,000 iterations.</summary>
    public const int Pbkdf2Iterations = 210_000;
    /// <summary>NIST SP 800-63B-4's cap on consecutive failures; the web's throttle makes reaching it slow (SignInThrottle).</summary>
    public const int MaxFailedAttempts = 100;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public static void Configure(IdentityOptions o)
    {
        // NIST 800-63B: length, not composition; the blocklist lives in NistPasswordValidator.
        o.Password.RequiredLength = NistPasswordValidator.MinLength;
        o.Password.RequireDigit = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireNonAlphanumeric = false;
        o.Password.RequiredUniqueChars = 1;
        o.Lockout.AllowedForNewUsers = true;
        o.Lockout.MaxFailedAccessAttempts = MaxFailedAttempts;
        o.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
        o.User.RequireUniqueEmail = true;
        o.SignIn.RequireConfirmedAccount = false;
        o.Stores.SchemaVersion = IdentitySchemaVersions.Version3;   // passkeys
    }

    public static void ConfigureHasher(PasswordHasherOptions o)
    {
        o.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
        o.IterationCount = Pbkdf2Iterations;
    }
}
