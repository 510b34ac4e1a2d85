using System.Security.Claims;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Security;
using Microsoft.Net.Http.Headers;

namespace EthicsPortal.Web.Components.Cases;

public static class CaseEndpoints
{
    /// <summary>
    /// Attachment downloads: only for those who may see the case, audited, and always served as a download
    /// with nosniff, so a hostile file can never render in the portal's origin.
    /// </summary>
    public static void MapCaseEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/cases/{caseId:int}/attachments/{attachmentId:int}", async (int caseId, int attachmentId, ClaimsPrincipal user, CaseQueries cases, HttpContext http, CancellationToken ct) =>
        {
            var result = await cases.DownloadAsync(caseId, attachmentId, user.FindFirstValue(ClaimTypes.NameIdentifier)!, ct);
            if (!result.Succeeded)
                return Results.NotFound();
            var (name, type, content) = result.Value;
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'; sandbox";
            http.Items[Infrastructure.SecurityHeaders.OwnPolicy] = true;
            return Results.File(content, type, name);
        }).RequireAuthorization(Policies.Committee);
    }
}
