using System.Security.Claims;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace EthicsPortal.Web.Components.Account;

/// <summary>Optional staff single sign-on (appsettings.json "Authentication:OpenIdConnect"); local accounts stay for a break-glass Admin.</summary>
public sealed class SingleSignOnOptions
{
    public const string Section = "Authentication:OpenIdConnect";
    public const string Scheme = "oidc";

    public bool Enabled { get; set; }
    public string Authority { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string? ClientSecret { get; set; }
    public string ButtonText { get; set; } = "Sign in with your company account";
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim that lists the person's groups, and which group grants which portal role.</summary>
    public string GroupClaim { get; set; } = "groups";
    public Dictionary<string, string> GroupRoles { get; set; } = [];

    /// <summary>
    /// True when the identity provider itself always asks for a second factor. Otherwise a sign-in counts as multi-factor
    /// only when the ID token's "amr" says so ("mfa", "otp", "hwk", "swk", "fido").
    /// </summary>
    public bool ProviderEnforcesMfa { get; set; }
}

/// <summary>
/// Signs staff in through the company's identity provider: the account is found by its external login (or created on
/// first sign-in), its roles follow the mapped groups at every sign-in, and nothing else is taken from the token.
/// </summary>
public sealed class SingleSignOnService(
    UserManager<StaffUser> users, SignInManager<StaffUser> signIn, AuditLog audit, EthicsDbContext db, Microsoft.Extensions.Options.IOptions<SingleSignOnOptions> options)
{
    public const string NotSignedIn = "Your company account did not sign you in. Try again, or ask an administrator.";
    public const string NoRole = "Your company account has no role in EthicsPortal. Ask an administrator.";
    public const string LocalAccountExists = "A local account already uses this address. Ask an administrator to link or remove it.";
    public const string NotSetUp = "Your account could not be set up. Ask an administrator.";
    public const string Locked = "This account is locked. Ask an administrator.";

    /// <summary>Every sentence the sign-in page may show after a failed single sign-on.</summary>
    public static readonly string[] Problems = [NotSignedIn, NoRole, LocalAccountExists, NotSetUp, Locked];

    private static readonly string[] Scopes = ["openid", "profile", "email"];

    private static readonly string[] MfaMethods = ["mfa", "otp", "hwk", "swk", "fido", "sms"];

    public static void Register(WebApplicationBuilder builder)
    {
        var sso = builder.Configuration.GetSection(SingleSignOnOptions.Section).Get<SingleSignOnOptions>() ?? new();
        if (!sso.Enabled)
            return;
        builder.Services.AddAuthentication().AddOpenIdConnect(SingleSignOnOptions.Scheme, sso.ButtonText, o =>
        {
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.Authority = sso.Authority;
            o.ClientId = sso.ClientId;
            o.ClientSecret = sso.ClientSecret;
            o.RequireHttpsMetadata = sso.RequireHttpsMetadata;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            // The code comes back by a top-level GET, so Lax cookies suffice; Secure follows the request (HTTPS in production).
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Scope.Clear();
            foreach (var scope in Scopes)
                o.Scope.Add(scope);
            o.MapInboundClaims = false;   // keep "sub", "email", "amr" and the group claim as the provider sent them
            o.SaveTokens = false;         // no provider token is kept in the staff cookie
            o.GetClaimsFromUserInfoEndpoint = false;
            // A refused or forged answer from the provider ends on the sign-in page with a calm sentence, never an error page.
            o.Events.OnRemoteFailure = context =>
            {
                context.Response.Redirect("/account/login?sso=" + Uri.EscapeDataString(NotSignedIn));
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
    }

    public sealed record Outcome(bool SignedIn, string Landing, string? Problem);

    /// <summary>Completes a sign-in from the external cookie the OpenID Connect handler left.</summary>
    public async Task<Outcome> CompleteAsync(HttpContext http, CancellationToken ct)
    {
        var external = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        var principal = external.Principal;
        var subject = principal?.FindFirstValue("sub");
        var email = principal?.FindFirstValue("email");
        if (!external.Succeeded || principal is null || string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(email))
            return new(false, "", NotSignedIn);

        var o = options.Value;
        var roles = principal.FindAll(o.GroupClaim).Select(c => o.GroupRoles.GetValueOrDefault(c.Value))
            .OfType<string>().Where(r => Roles.All.Contains(r)).Distinct().ToList();
        if (roles.Count == 0)
        {
            await audit.AppendAsync(new AuditRecord(AuditActors.Anonymous, "account.sso-refused", "user:unknown", "no mapped group"), ct);
            return new(false, "", NoRole);
        }

        var user = await users.FindByLoginAsync(SingleSignOnOptions.Scheme, subject);
        if (user is null)
        {
            if (await users.FindByEmailAsync(email) is not null)
            {
                // A local account with this address exists: linking it silently would let the provider take it over.
                await audit.AppendAsync(new AuditRecord(AuditActors.Anonymous, "account.sso-refused", "user:unknown", "address held by a local account"), ct);
                return new(false, "", LocalAccountExists);
            }
            // The account, its external login and the audit entry are stored together or not at all (the managers share db).
            var account = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = principal.FindFirstValue("name") ?? email };
            var outcome = await audit.ExecuteAsync(db, async _ =>
            {
                var created = await users.CreateAsync(account);
                if (created.Succeeded)
                    created = await users.AddLoginAsync(account, new UserLoginInfo(SingleSignOnOptions.Scheme, subject, "Single sign-on"));
                return (created.Succeeded ? Result.Ok() : EthicsPortal.Core.Common.Error.Validation(NotSetUp),
                    [new AuditRecord(AuditActors.System, "account.sso-created", $"user:{account.Id}")]);
            }, ct);
            if (!outcome.Succeeded)
                return new(false, "", NotSetUp);
            user = account;
        }
        if (await users.IsLockedOutAsync(user))
            return new(false, "", Locked);

        // Roles follow the provider's groups at every sign-in; a group taken away there is taken away here. A change is
        // stored with its audit entry, in one transaction: an auditor sees every grant, wherever it came from.
        var current = await users.GetRolesAsync(user);
        var removed = current.Except(roles).ToList();
        var added = roles.Except(current).ToList();
        if (removed.Count > 0 || added.Count > 0)
        {
            var signingIn = user;
            var changed = await audit.ExecuteAsync(db, async _ =>
            {
                var result = await users.RemoveFromRolesAsync(signingIn, removed);
                if (result.Succeeded)
                    result = await users.AddToRolesAsync(signingIn, added);
                return (result.Succeeded ? Result.Ok() : EthicsPortal.Core.Common.Error.Validation(NotSetUp),
                    [new AuditRecord(AuditActors.System, "account.roles-changed", $"user:{signingIn.Id}",
                        $"roles={string.Join(',', roles.Order(StringComparer.Ordinal))}; by single sign-on groups")]);
            }, ct);
            if (!changed.Succeeded)
                return new(false, "", NotSetUp);
        }

        var mfa = o.ProviderEnforcesMfa || principal.FindAll("amr").Any(c => MfaMethods.Contains(c.Value, StringComparer.OrdinalIgnoreCase));
        List<Claim> claims = [new(ClaimTypes.AuthenticationMethod, SingleSignOnOptions.Scheme)];
        if (mfa)
            claims.Add(new Claim(StaffClaims.Amr, "mfa"));
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, claims);
        await audit.AppendAsync(new AuditRecord(AuditActors.Staff(user.Id), "account.signin", $"user:{user.Id}", mfa ? "single sign-on, second factor at the provider" : "single sign-on"), ct);
        return new(true, roles.All(r => r == Roles.Employee) ? "/me" : "/staff", null);
    }
}
