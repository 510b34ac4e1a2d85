using Microsoft.Extensions.Localization;
using System.Threading.RateLimiting;
using EthicsPortal.Core.Intake;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// Abuse limits for reporter submissions: per client and for the whole portal, answering 429 with a calm page.
/// A client is known only by an HMAC of its address under a salt that lives in memory and dies with the
/// process: nothing here can later be tied back to an address, and nothing is logged.
/// </summary>
public static class ReporterLimits
{
    public static IServiceCollection AddReporterLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<IntakeOptions>>((o, intake) =>
        {
            var limits = intake.Value;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(ctx => IsSubmission(ctx)
                    ? RateLimitPartition.GetFixedWindowLimiter("all", _ => Hourly(limits.SubmissionsPerHour))
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(ctx => IsSubmission(ctx)
                    ? RateLimitPartition.GetFixedWindowLimiter(AnonymousClientKey.For(ctx), _ => Hourly(limits.SubmissionsPerClientPerHour))
                    : RateLimitPartition.GetNoLimiter("")));
            o.OnRejected = async (context, ct) =>
            {
                var text = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<ReporterText>>();
                context.HttpContext.Response.ContentType = "text/html; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(
                    CalmPage("too-many", StatusCodes.Status429TooManyRequests, text["TooMany.Title"], text["TooMany.Text"], null), ct);
            };
        });

        // Files are held in memory, never buffered to a temporary file: the originals carry identifying metadata.
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

    private static FixedWindowRateLimiterOptions Hourly(int permits) => new()
    {
        PermitLimit = Math.Max(1, permits),
        Window = TimeSpan.FromHours(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };


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
