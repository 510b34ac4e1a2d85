using EthicsPortal.Core.Security;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// Staff in roles that need a second factor get nothing but the sign-in and enrolment pages until their
/// session proves one (Identity's "amr=mfa" claim). Employees and reporters are never asked.
/// </summary>
public sealed class MfaGate(RequestDelegate next, IOptions<StaffSessionOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var user = context.User;
        if (!options.Value.RequireStaffMfa || user.Identity?.IsAuthenticated != true
            || !StaffSessionOptions.MfaRoles.Any(user.IsInRole) || user.HasClaim(StaffClaims.Amr, "mfa") || IsOpen(context.Request.Path))
            return next(context);
        context.Response.Redirect("/account/mfa");
        return Task.CompletedTask;
    }

    /// <summary>What a person without a second factor yet may still reach: enrolment, sign-out, reporter pages, assets.</summary>
    internal static bool IsOpen(PathString path)
        => path.StartsWithSegments("/account") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
           || path.StartsWithSegments("/css") || path.StartsWithSegments("/js") || path.StartsWithSegments("/language") || path.StartsWithSegments("/img") || path.StartsWithSegments("/health")
           || path.StartsWithSegments("/report") || path.StartsWithSegments("/followup") || path.StartsWithSegments("/verify")
           || path == "/" || path.StartsWithSegments("/favicon.ico");
}

/// <summary>
/// An account whose password an Admin typed gets nothing but the password page (and what MfaGate leaves open) until its
/// owner has chosen their own: the Admin must not keep a working password to someone else's account.
/// </summary>
public sealed class PasswordChangeGate(RequestDelegate next)
{
    public const string Path = "/account/password";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true || !context.User.HasClaim(StaffClaims.MustChangePassword, "true")
            || MfaGate.IsOpen(context.Request.Path))
            return next(context);
        context.Response.Redirect(Path);
        return Task.CompletedTask;
    }
}
