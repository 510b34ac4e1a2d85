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
                context.HttpContext.Response.ContentType = "text/html; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(TooManyPage, ct);
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


    private const string TooManyPage = """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Please wait — EthicsPortal</title><link rel="stylesheet" href="/css/site.css"></head>
        <body><main class="ep-main"><section class="ep-card" data-testid="too-many">
        <h1>Please wait a while</h1>
        <p>Too many concerns were sent from here, or to the portal as a whole, in the last hour. This limit protects the
        channel from floods. Nothing from this last attempt was stored. Please try again in an hour; if the matter is
        urgent, contact the ethics committee another way.</p>
        </section></main></body></html>
        """;
}
