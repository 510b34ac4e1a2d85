namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// Headers on every response. Pages are never cached (a shared computer must not show a report or a case
/// from its cache) and never leak where the visitor came from; static assets may be cached.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    private const string Csp =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'";

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
                headers.ContentSecurityPolicy = Csp;
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
