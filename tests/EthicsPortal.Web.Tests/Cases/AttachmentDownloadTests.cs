using System.Net;
using System.Text;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using EthicsPortal.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests.Cases;

public sealed class AttachmentDownloadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An attachment keeps its own sandboxing policy; the page policy once overwrote it.</summary>
    [Fact]
    public async Task Download_ByAHandler_IsAnAttachmentUnderItsOwnSandboxPolicy()
    {
        await using var factory = new PortalFactory();
        using var reporter = factory.CreateBrowserlikeClient();
        using (await Forms.SubmitConcernAsync(reporter, Forms.Concern(), ("note.txt", Encoding.UTF8.GetBytes("bucket gov-intercepts")))) { }
        int caseId, attachmentId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
            (caseId, attachmentId) = await db.Attachments.Select(a => new ValueTuple<int, int>(a.CaseId, a.Id)).SingleAsync(Ct);
        }
        using var handler = factory.CreateBrowserlikeClient();
        using (await Forms.SignInAsync(handler, "handler@demo.local", DemoSeeder.DemoPassword)) { }

        using var download = await handler.GetAsync($"/cases/{caseId}/attachments/{attachmentId}", Ct);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("default-src 'none'; sandbox", Assert.Single(download.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(download.Headers.GetValues("X-Content-Type-Options")));
    }
}
