using System.Globalization;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

public static class StaffCookie
{
    public const string Name = "ep.staff";

    /// <summary>30 minutes idle (sliding), 12 hours at most since the person signed in, whatever the activity.</summary>
    public static void Configure(CookieAuthenticationOptions o, StaffSessionOptions session)
    {
        o.Cookie.Name = Name;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.LoginPath = "/account/login";
        o.LogoutPath = "/account/logout";
        o.AccessDeniedPath = "/account/access-denied";
        o.ExpireTimeSpan = TimeSpan.FromMinutes(session.IdleTimeoutMinutes);
        o.SlidingExpiration = true;
        o.Events.OnValidatePrincipal = async context =>
        {
            var time = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
            var signedInAt = context.Principal?.FindFirst(StaffClaims.AuthTime)?.Value;
            if (signedInAt is null || !long.TryParse(signedInAt, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) > TimeSpan.FromHours(session.AbsoluteTimeoutHours))
            {
                context.RejectPrincipal();
                if (context.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is { } expired)
                    context.HttpContext.RequestServices.GetRequiredService<EthicsPortal.Core.Sealing.KeyChain>().Drop(expired);
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
            await SecurityStampValidator.ValidatePrincipalAsync(context);
        };
    }

    /// <summary>When the security stamp check rebuilds the principal, keep when and how the person signed in.</summary>
    public static void KeepSignInFacts(SecurityStampValidatorOptions o)
    {
        o.ValidationInterval = TimeSpan.FromMinutes(1);   // a locked account is out within a minute
        o.OnRefreshingPrincipal = context =>
        {
            var fresh = context.NewPrincipal?.Identities.FirstOrDefault();
            if (fresh is null || context.CurrentPrincipal is null)
                return Task.CompletedTask;
            foreach (var type in new[] { StaffClaims.AuthTime, StaffClaims.Amr })
            {
                foreach (var old in fresh.FindAll(type).ToList())
                    fresh.RemoveClaim(old);
                foreach (var kept in context.CurrentPrincipal.FindAll(type))
                    fresh.AddClaim(new System.Security.Claims.Claim(type, kept.Value));
            }
            return Task.CompletedTask;
        };
    }
}
