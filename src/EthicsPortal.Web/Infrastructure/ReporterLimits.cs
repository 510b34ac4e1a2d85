using Microsoft.Extensions.Localization;
using EthicsPortal.Core.Intake;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// Bounds on what reporters send: request body sizes, and the intake gate that sends a flood to screening instead of
/// refusing it. A client is known only by an HMAC of its address under a salt that lives in memory and dies with the
/// process: nothing here can later be tied back to an address, and nothing is logged.
/// </summary>
public static class ReporterLimits
{
    public static IServiceCollection AddReporterLimits(this IServiceCollection services)
    {
        // Floods are met by IntakeGate (screening, never a closed channel), not by a rate limiter that refuses.
        services.AddSingleton<IntakeGate>();
        // Reporter uploads stream into an encrypted spool (SpooledForm); ASP.NET's own reader never sees them.
        services.AddSingleton<Uploads.SpoolBudget>();
        services.AddSingleton<Uploads.SpooledForm>();

        // Any other form ASP.NET reads stays in memory, never in a plain temporary file (bodies there are 1 MB at most).
        services.AddOptions<FormOptions>().Configure<IOptions<IntakeOptions>>((o, intake) =>
        {
            var max = MaxReportBody(intake.Value);
            o.MultipartBodyLengthLimit = max;
            o.MemoryBufferThreshold = (int)Math.Min(max, int.MaxValue);
            o.BufferBodyLengthLimit = max;
        });
        return services;
    }

    /// <summary>Large bodies only where evidence is uploaded; everything else keeps a small limit.</summary>
    public static IApplicationBuilder UseReporterBodyLimits(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = IsUpload(context)
                ? MaxReportBody(context.RequestServices.GetRequiredService<IOptions<IntakeOptions>>().Value)
                : 1024 * 1024;
        }
        return next(context);
    });

    public static bool IsSubmission(HttpContext context)
        => HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/report", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where evidence can be uploaded: the concern form and the inbox.</summary>
    public static bool IsUpload(HttpContext context)
        => HttpMethods.IsPost(context.Request.Method)
           && (context.Request.Path.Equals("/report", StringComparison.OrdinalIgnoreCase) || context.Request.Path.Equals("/followup", StringComparison.OrdinalIgnoreCase));

    private static long MaxReportBody(IntakeOptions o) => o.MaxTotalBytes + 4 * 1024 * 1024;   // room for the text fields

    /// <summary>
    /// A small self-contained page for answers given outside Blazor (429, 400, 413): the site's look, the
    /// given words (HTML-encoded), and never anything the visitor sent.
    /// </summary>
    internal static string CalmPage(string testId, int status, string title, string body, (string Href, string Text)? back)
    {
        static string E(string s) => System.Net.WebUtility.HtmlEncode(s);
        var link = back is { } b ? $"<p><a class=\"ep-button\" href=\"{E(b.Href)}\">{E(b.Text)}</a></p>" : "";
        return $"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} — EthicsPortal</title><link rel="stylesheet" href="/css/site.css"></head>
            <body><main class="ep-main"><section class="ep-card" data-testid="{testId}" data-status="{status.ToString(System.Globalization.CultureInfo.InvariantCulture)}">
            <h1>{E(title)}</h1>
            <p>{E(body)}</p>
            {link}
            </section></main></body></html>
            """;
    }
}
