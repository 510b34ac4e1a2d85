using Microsoft.Extensions.Localization;
using System.Globalization;
using EthicsPortal.Core.Intake;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// A reporter whose form cannot be read gets a calm page instead of a framework message, a stack trace or an empty
/// response: 413 when it is too large, 400 when it is malformed, has more fields than any form sends, or carries an
/// expired antiforgery token. The page says what went wrong in general words and that nothing was stored; it never
/// echoes what was sent. Runs after the rate limiter (a flood is refused before its body is read) and before
/// antiforgery (which would otherwise turn every one of these failures into the same terse 400).
/// </summary>
public sealed class BadRequestPage(RequestDelegate next, IOptions<IntakeOptions> intake)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsReporterPost(context))
        {
            await next(context);
            return;
        }
        try
        {
            if (await RefuseUnreadableFormAsync(context))
                return;
            await RenderReplacingErrorsAsync(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, e.StatusCode);   // the body broke off or outgrew its limit while the page read it
        }
    }

    /// <summary>Reporter forms that accept posts; /report/proof keeps its own answer.</summary>
    private static bool IsReporterPost(HttpContext context)
        => HttpMethods.IsPost(context.Request.Method)
           && (context.Request.Path.Equals("/report", StringComparison.OrdinalIgnoreCase)
               || context.Request.Path.Equals("/followup", StringComparison.OrdinalIgnoreCase)
               || context.Request.Path.Equals("/verify", StringComparison.OrdinalIgnoreCase));

    private async Task<bool> RefuseUnreadableFormAsync(HttpContext context)
    {
        // A declared length over the limit is refused before a single byte of the body is read.
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (context.Request.ContentLength > limit)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge);
            return true;
        }
        if (!context.Request.HasFormContentType)
            return false;

        // Read once, here: the parsed form is kept for antiforgery and the page, so nothing is read twice. Multipart
        // (the forms with files) streams into the encrypted spool instead of memory.
        int status;
        try
        {
            if (Uploads.SpooledForm.Applies(context))
                await context.RequestServices.GetRequiredService<Uploads.SpooledForm>().ReadAsync(context);
            else
                await context.Request.ReadFormAsync(context.RequestAborted);
            return false;
        }
        catch (Uploads.SpoolFullException)
        {
            status = StatusCodes.Status503ServiceUnavailable;   // uploads in flight fill the spool's disk budget
        }
        catch (BadHttpRequestException e)
        {
            status = e.StatusCode;   // Kestrel: body over the limit, broken chunked encoding
        }
        catch (InvalidDataException e)
        {
            status = TooLarge(e) ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;   // FormOptions limits, malformed multipart
        }
        catch (IOException)
        {
            status = StatusCodes.Status400BadRequest;   // a multipart body that ends before its closing boundary, or a client gone
        }
        await WriteAsync(context, status);
        return true;
    }

    /// <summary>FormOptions reports its limits only through the message; sizes are 413, counts and shapes 400.</summary>
    private static bool TooLarge(InvalidDataException e)
        => e.Message.Contains("body length limit", StringComparison.OrdinalIgnoreCase)
           || e.Message.Contains("value length limit", StringComparison.OrdinalIgnoreCase);

    /// <summary>The page renders into memory (reporter pages are small), so a 400 or 413 it answers can still be replaced.</summary>
    private async Task RenderReplacingErrorsAsync(HttpContext context)
    {
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var buffer = new MemoryStream();
        var capture = new StreamResponseBodyFeature(buffer, original);
        context.Features.Set<IHttpResponseBodyFeature>(capture);
        try
        {
            await next(context);
            await capture.CompleteAsync();
        }
        finally
        {
            context.Features.Set(original);
        }

        if (context.Response.StatusCode is StatusCodes.Status400BadRequest or StatusCodes.Status413PayloadTooLarge)
        {
            await WriteAsync(context, context.Response.StatusCode);
            return;
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private async Task WriteAsync(HttpContext context, int status)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        if (status is StatusCodes.Status413PayloadTooLarge or StatusCodes.Status503ServiceUnavailable)
            response.Headers.Connection = "close";   // the rest of the body is not wanted: end the connection rather than drain it
        var back = context.Request.Path.Equals("/followup", StringComparison.OrdinalIgnoreCase) ? "/followup"
            : context.Request.Path.Equals("/verify", StringComparison.OrdinalIgnoreCase) ? "/verify" : "/report";
        // Not RequestAborted: a body that broke off may have tripped it, and the page is small (a gone client just misses it).
        await response.WriteAsync(Page(context, status, back), CancellationToken.None);
    }

    /// <summary>Built only from resource strings and configured numbers: nothing the visitor sent appears in it.</summary>
    private string Page(HttpContext context, int status, string back)
    {
        var limits = intake.Value;
        var text = context.RequestServices.GetRequiredService<IStringLocalizer<ReporterText>>();
        string Mb(long bytes) => (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture);
        var (title, body) = status switch
        {
            StatusCodes.Status413PayloadTooLarge => (text["Refused.TooLargeTitle"].Value, text["Refused.TooLarge", limits.MaxFiles, Mb(limits.MaxFileBytes), Mb(limits.MaxTotalBytes)].Value),
            StatusCodes.Status503ServiceUnavailable => (text["Refused.BusyTitle"].Value, text["Refused.Busy"].Value),
            _ => (text["Refused.UnreadableTitle"].Value, text["Refused.Unreadable"].Value),
        };
        return ReporterLimits.CalmPage("request-refused", status, title, body, (back, text["Refused.Back"].Value));
    }
}
