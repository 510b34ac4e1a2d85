using System.Globalization;
using EthicsPortal.Web.Components.Account;
using Microsoft.AspNetCore.Localization;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// English, German and Arabic. The choice travels in one session cookie that holds nothing but the language, the same
/// for everyone who picks it, so it identifies nobody; without it the browser's Accept-Language decides. A missing
/// translation falls back to English (the neutral resources).
/// </summary>
public static class PortalCultures
{
    public const string CookieName = "ep-lang";

    public static readonly IReadOnlyList<(string Code, string NativeName)> Supported =
        [("en", "English"), ("de", "Deutsch"), ("ar", "العربية")];

    public static bool IsSupported(string? code) => Supported.Any(s => s.Code == code);

    public static bool IsRightToLeft => CultureInfo.CurrentUICulture.TextInfo.IsRightToLeft;

    public static string CurrentCode => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;

    public static IApplicationBuilder UsePortalLocalization(this IApplicationBuilder app)
    {
        var codes = Supported.Select(s => s.Code).ToArray();
        var options = new RequestLocalizationOptions()
            .SetDefaultCulture(codes[0])
            .AddSupportedCultures(codes)
            .AddSupportedUICultures(codes);
        options.FallBackToParentUICultures = true;
        options.FallBackToParentCultures = true;
        options.RequestCultureProviders =
        [
            new CookieRequestCultureProvider { CookieName = CookieName },
            new AcceptLanguageHeaderRequestCultureProvider(),
        ];
        return app.UseRequestLocalization(options);
    }

    /// <summary>The language link for the page being shown: its path only, never a query that could carry anything of the visit.</summary>
    public static string LinkFor(string code, Microsoft.AspNetCore.Components.NavigationManager navigation)
        => $"/language/{code}?returnUrl={Uri.EscapeDataString("/" + navigation.ToBaseRelativePath(navigation.Uri).Split('?', '#')[0])}";

    /// <summary>GET /language/{code}?returnUrl=…: a plain link, so the picker works with JavaScript off.</summary>
    public static void MapLanguageEndpoint(this IEndpointRouteBuilder endpoints)
        => endpoints.MapGet("/language/{code}", (HttpContext http, string code, string? returnUrl) =>
        {
            if (!IsSupported(code))
                return Results.NotFound();
            http.Response.Cookies.Append(CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(code)), new CookieOptions
            {
                // A session cookie: nothing about the choice outlives the browser session.
                HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, IsEssential = true, Path = "/",
            });
            return Results.LocalRedirect(Login.SafeReturnUrl(returnUrl) ?? "/");
        });
}
