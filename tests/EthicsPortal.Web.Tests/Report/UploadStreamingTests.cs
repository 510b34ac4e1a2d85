using EthicsPortal.Core.Sealing;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using EthicsPortal.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests.Report;

/// <summary>#15 M2 and I4: uploads stream through the encrypted spool; text fields are UTF-8 whatever their first bytes.</summary>
public class UploadStreamingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATextField_StartingWithFfFe_IsReadAsUtf8_NotAsUtf16()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        const string text = "Bucket gov-intercepts-5521 holds recordings of civilians.";
        var page = await client.GetStringAsync("/report", Ct);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(Forms.TokenFrom(page)), "__RequestVerificationToken" },
            { new StringContent("report"), "_handler" },
        };
        foreach (var (key, value) in Forms.Concern().Where(f => f.Key != "Model.Description"))
            content.Add(new StringContent(value), key);
        content.Add(new ByteArrayContent([0xFF, 0xFE, .. Encoding.ASCII.GetBytes(text)]), "Model.Description");

        using var posted = await client.PostAsync("/report", content, Ct);

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        await using var scope = factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<EthicsDbContext>().Cases.SingleAsync(Ct);
        var report = (await SealedReader.AsDemoChairAsync(factory.Services, stored.Id)).DecryptJson<CaseReport>(SealedField.Report, stored.ReportCiphertext);
        Assert.Equal("\uFFFD\uFFFD" + text, report.Description);   // ASP.NET's reader made this 28 CJK characters
    }

    [Fact]
    public async Task ALargeFile_ArrivesWhole_ThroughTheSpool()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var line = Encoding.UTF8.GetBytes("Export 2026-11: 4,112 call recordings copied to bucket gov-intercepts.\n");
        var big = Enumerable.Repeat(line, 3 * 1024 * 1024 / line.Length + 7).SelectMany(b => b).ToArray();   // many spool chunks, the last one partial
        var small = Encoding.UTF8.GetBytes("second file");

        using var response = await Forms.SubmitConcernAsync(client, Forms.Concern(), ("export.txt", big), ("note.txt", small));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(Forms.TestId(await response.Content.ReadAsStringAsync(Ct), "receipt"));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var stored = await db.Attachments.Include(a => a.Content).OrderBy(a => a.Seq).ToListAsync(Ct);   // keys are random; Seq is the order sent
        Assert.Equal(2, stored.Count);
        var cipher = await SealedReader.AsDemoChairAsync(factory.Services, stored[0].CaseId);
        Assert.Equal(SHA256.HashData(big), SHA256.HashData(cipher.Decrypt(SealedField.Attachment, stored[0].Content.Ciphertext)));
        Assert.Equal(small, cipher.Decrypt(SealedField.Attachment, stored[1].Content.Ciphertext));
        Assert.Equal(0, factory.Services.GetRequiredService<EthicsPortal.Web.Infrastructure.Uploads.SpoolBudget>().InFlight);   // given back
    }

    [Fact]
    public async Task PastTheSpoolBudget_AnUploadIsRefusedCalmly_AndAConcernWithoutFilesStillGoesThrough()
    {
        await using var factory = new PortalFactory();
        factory.Settings["Intake:SpoolBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var client = factory.CreateBrowserlikeClient();

        using var refused = await Forms.SubmitConcernAsync(client, Forms.Concern(), ("big.txt", Encoding.UTF8.GetBytes(new string('a', 2 * 1024 * 1024))));
        var html = await refused.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("Nothing was stored", html, StringComparison.Ordinal);
        Assert.Contains("A concern without files can be sent at any time", html, StringComparison.Ordinal);
        await using (var scope = factory.Services.CreateAsyncScope())
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<EthicsDbContext>().Cases.CountAsync(Ct));

        using var withoutFiles = await Forms.SubmitConcernAsync(client, Forms.Concern());
        Assert.NotNull(Forms.TestId(await withoutFiles.Content.ReadAsStringAsync(Ct), "receipt"));
        // The refused upload gave its share back: a file within the budget goes through.
        using var fits = await Forms.SubmitConcernAsync(client, Forms.Concern(), ("note.txt", Encoding.UTF8.GetBytes(new string('b', 500_000))));
        Assert.NotNull(Forms.TestId(await fits.Content.ReadAsStringAsync(Ct), "receipt"));
    }
}
