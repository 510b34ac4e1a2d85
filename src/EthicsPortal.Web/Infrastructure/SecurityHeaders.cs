namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// Headers on every response. Pages are never cached (a shared computer must not show a report or a case
/// from its cache) and never leak where the visitor came from; static assets may be cached.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, Microsoft.Extensions.Options.IOptions<EthicsPortal.Web.Components.Account.SingleSignOnOptions> sso)
{
    private readonly string _csp = PolicyFor(sso.Value);

    /// <summary>
    /// The page policy. With single sign-on the "Sign in with your company account" form posts to the portal, which
    /// redirects to the provider: browsers check form-action against every redirect of a form's submission, so the
    /// provider's origin is allowed as a form target too (and nothing else is).
    /// </summary>
    public static string PolicyFor(EthicsPortal.Web.Components.Account.SingleSignOnOptions sso)
    {
        var provider = sso.Enabled && Uri.TryCreate(sso.Authority, UriKind.Absolute, out var authority) && authority.Scheme is "https" or "http"
            ? " " + authority.GetLeftPart(UriPartial.Authority) : "";
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
               $"font-src 'self'; connect-src 'self'; form-action 'self'{provider}; base-uri 'self'; object-src 'none'; frame-ancestors 'none'";
    }

    /// <summary>Set in HttpContext.Items by an endpoint whose response carries a stricter CSP of its own.</summary>
    public const string OwnPolicy = "ep.own-csp";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // A response with a stricter policy of its own (an attachment: "default-src 'none'; sandbox") keeps it; any
            // other policy set on the way (Blazor's own "frame-ancestors 'self'") gives way to the page policy.
            if (!context.Items.ContainsKey(OwnPolicy))
                headers.ContentSecurityPolicy = _csp;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (!IsStaticAsset(context.Request.Path))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static bool IsStaticAsset(PathString path)
        => path.StartsWithSegments("/_content") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/css")
           || path.StartsWithSegments("/img") || path.StartsWithSegments("/favicon.ico");
}
