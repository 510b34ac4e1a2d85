using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace EthicsPortal.Web.Infrastructure.Uploads;

/// <summary>
/// Reads a reporter's multipart form as it arrives, instead of ASP.NET's reader, which holds every file in memory (or
/// in a plain temporary file): text fields into memory, files into the request's <see cref="EncryptedSpool"/>. The
/// parsed form is set as the request's form, so antiforgery and the page's form binding read it as usual. Same limits
/// as <see cref="FormOptions"/> (field count, key and value lengths, boundary, section headers). Text fields are always
/// UTF-8: a byte-order mark never switches a field to UTF-16 the way ASP.NET's reader does.
/// </summary>
public sealed class SpooledForm(IOptions<FormOptions> formOptions, SpoolBudget budget)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static bool Applies(HttpContext context)
        => context.Request.ContentType is { } type && type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses the body and makes it the request's form. Throws what ASP.NET's reader throws for the same faults
    /// (<see cref="InvalidDataException"/>, <see cref="IOException"/>, <see cref="BadHttpRequestException"/>), and
    /// <see cref="SpoolFullException"/> when the uploads in flight have used up the spool's budget.
    /// </summary>
    public async Task ReadAsync(HttpContext context)
    {
        var o = formOptions.Value;
        var ct = context.RequestAborted;
        var boundary = Boundary(context.Request.ContentType!, o.MultipartBoundaryLengthLimit);
        var reader = new MultipartReader(boundary, context.Request.Body)
        {
            HeadersCountLimit = o.MultipartHeadersCountLimit,
            HeadersLengthLimit = o.MultipartHeadersLengthLimit,
            BodyLengthLimit = o.MultipartBodyLengthLimit,
        };
        var fields = new KeyValueAccumulator();
        var files = new FormFileCollection();
        EncryptedSpool? spool = null;
        var charge = budget.Charge();
        context.Response.RegisterForDispose(charge);
        var sections = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (++sections > o.ValueCountLimit)
                    throw new InvalidDataException($"Form value count limit {o.ValueCountLimit} exceeded.");
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                    throw new InvalidDataException("Form section has invalid Content-Disposition value: " + section.ContentDisposition);
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).ToString();
                if (name.Length > o.KeyLengthLimit)
                    throw new InvalidDataException($"Form key length limit {o.KeyLengthLimit} exceeded.");

                if (disposition.IsFileDisposition())
                {
                    if (spool is null)
                    {
                        spool = new EncryptedSpool(budget.Folder);
                        context.Response.RegisterForDispose(spool);
                    }
                    var segment = await spool.WriteAsync(charge.Wrap(section.Body), o.MultipartBodyLengthLimit, ct);
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).ToString();
                    files.Add(new SpooledFormFile(spool, segment, name, fileName, section.ContentType ?? ""));
                }
                else if (disposition.IsFormDisposition())
                {
                    fields.Append(name, await ReadTextAsync(section.Body, o.ValueLengthLimit, ct));
                }
                // other sections are drained by ReadNextSectionAsync, as ASP.NET's reader does
            }
        }
        catch
        {
            spool?.Dispose();
            charge.Dispose();
            throw;
        }
        context.Features.Set<IFormFeature>(new FormFeature(new FormCollection(fields.GetResults(), files)));
    }

    private static string Boundary(string contentType, int limit)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(contentType).Boundary).ToString();
        if (string.IsNullOrWhiteSpace(boundary))
            throw new InvalidDataException("Missing content-type boundary.");
        if (boundary.Length > limit)
            throw new InvalidDataException($"Multipart boundary length limit {limit} exceeded.");
        return boundary;
    }

    /// <summary>UTF-8 whatever the first bytes say; an invalid sequence becomes U+FFFD rather than another encoding.</summary>
    private static async Task<string> ReadTextAsync(Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
                throw new InvalidDataException($"Form value length limit {limit} exceeded.");
            buffer.Write(chunk, 0, read);
        }
        return Utf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

/// <summary>A spooled file as the page sees it: reading it decrypts chunk by chunk.</summary>
internal sealed class SpooledFormFile(EncryptedSpool spool, SpoolSegment segment, string name, string fileName, string contentType) : IFormFile
{
    public string ContentType => contentType;
    public string ContentDisposition => "";
    public IHeaderDictionary Headers { get; } = new HeaderDictionary();
    public long Length => segment.Length;
    public string Name => name;
    public string FileName => fileName;
    public Stream OpenReadStream() => spool.Open(segment);

    public void CopyTo(Stream target)
    {
        using var source = OpenReadStream();
        source.CopyTo(target);
    }

    public async Task CopyToAsync(Stream target, CancellationToken cancellationToken = default)
    {
        await using var source = OpenReadStream();
        await source.CopyToAsync(target, cancellationToken);
    }
}
