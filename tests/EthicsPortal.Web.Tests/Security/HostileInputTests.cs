using EthicsPortal.Core.Sealing;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Bunit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Intake;
using EthicsPortal.Core.Security;
using EthicsPortal.Tests.Shared;
using EthicsPortal.Web.Components.Cases;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace EthicsPortal.Web.Tests.Security;

/// <summary>
/// Hostile input on the reporter paths (issue #7 item 6): every attempt gets a clear answer, never a 500, a stack
/// trace or a framework message, and leaves the database, the folder and the temporary directory as they were.
/// </summary>
public sealed class HostileInputTests
{
    private const string Script = "<script>alert(1)</script>";
    private const string AttributeBreak = "\"><img src=x onerror=alert(2)>";
    private const string SqlDrop = "'; DROP TABLE Cases; --";
    private const string SqlTautology = "' OR '1'='1' --";
    private const string EchoMarker = "ECHO-MARKER-7731";
    private const long TwoHundredMegabytes = 200L * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static string Hostile(string label) => $"{label} {Script} {AttributeBreak} {SqlDrop} {SqlTautology}";

    // ---- what "nothing changed" means ----

    private sealed record Snapshot(int Cases, int Attachments, int AttachmentContents, int AuditEntries, int CaseMessages,
        IReadOnlySet<string> Files, IReadOnlySet<string> TempUploads);

    private static async Task<Snapshot> SnapshotAsync(PortalFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        return new Snapshot(await db.Cases.CountAsync(Ct), await db.Attachments.CountAsync(Ct), await db.AttachmentContents.CountAsync(Ct),
            // a reporter's entries wait for their hour's batch before they join the chain: both count
            await db.AuditEntries.CountAsync(Ct) + await db.PendingAuditEntries.CountAsync(Ct), await db.CaseMessages.CountAsync(Ct),
            Directory.EnumerateFiles(factory.Folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(factory.Folder, f)).ToHashSet(),
            // ASP.NET buffers large form parts to ASPNETCORE_*.tmp files unless told not to; evidence originals must never reach the disk.
            Directory.EnumerateFiles(Path.GetTempPath(), "ASPNETCORE_*.tmp").ToHashSet());
    }

    /// <summary>The same rows, no new file in the test's folder besides SQLite's own, the key ring and the chain head, and no buffered upload.</summary>
    private static async Task AssertNothingStoredAsync(PortalFactory factory, Snapshot before, int auditEntriesAdded = 0)
    {
        var after = await SnapshotAsync(factory);
        Assert.Equal((before.Cases, before.Attachments, before.AttachmentContents, before.AuditEntries + auditEntriesAdded, before.CaseMessages),
            (after.Cases, after.Attachments, after.AttachmentContents, after.AuditEntries, after.CaseMessages));
        static bool Expected(string file) => file is "portal.db" or "portal.db-wal" or "portal.db-shm" or "portal.db-journal" or "audit-head.txt"
            || file.StartsWith("keys" + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        Assert.DoesNotContain(after.Files.Except(before.Files), f => !Expected(f));
        Assert.Empty(after.TempUploads.Except(before.TempUploads));
    }

    /// <summary>A calm page in the portal's look that names the problem, says nothing was stored and shows no trace of the framework.</summary>
    private static async Task<string> AssertRefusedPageAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var html = await response.Content.ReadAsStringAsync(Ct);
        AssertRefusedPage((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, html, status);
        return html;
    }

    private static void AssertRefusedPage(int actualStatus, string? mediaType, string html, HttpStatusCode status)
    {
        Assert.Equal((int)status, actualStatus);
        Assert.Equal("text/html", mediaType);
        Assert.Contains("data-testid=\"request-refused\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-status=\"{(int)status}\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/css/site.css\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"ep-card\"", html, StringComparison.Ordinal);
        Assert.Contains("Nothing was stored.", html, StringComparison.Ordinal);
        foreach (var framework in new[] { "Exception", "   at ", "antiforgery", "Microsoft.", "limit 1024" })
            Assert.DoesNotContain(framework, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(EchoMarker, html, StringComparison.Ordinal);
    }

    private static void AssertEncodedNeverRaw(string html)
    {
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img src=x", html, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> SubmitAsync(HttpClient client)
    {
        using var response = await Forms.SubmitConcernAsync(client, Forms.Concern());
        return Forms.TestId(await response.Content.ReadAsStringAsync(Ct), "receipt") ?? throw new InvalidOperationException("no receipt");
    }

    private static async Task OpenInboxAsync(HttpClient client, string receipt)
    {
        using var open = await Forms.PostAsync(client, "/followup", "receipt", new Dictionary<string, string> { ["ReceiptInput.Receipt"] = receipt });
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
    }

    /// <summary>The concern form's fields as multipart parts, with the page's antiforgery token.</summary>
    private static async Task<MultipartFormDataContent> ConcernContentAsync(HttpClient client, IDictionary<string, string>? fields = null, string url = "/report", string handler = "report")
    {
        var page = await client.GetStringAsync(url, Ct);
        var content = new MultipartFormDataContent
        {
            { new StringContent(Forms.TokenFrom(page)), "__RequestVerificationToken" },
            { new StringContent(handler), "_handler" },
        };
        foreach (var (key, value) in fields ?? new Dictionary<string, string>())
            content.Add(new StringContent(value), key);
        return content;
    }

    // ---- hostile files ----

    [Theory]
    [InlineData("script.jpg")]
    [InlineData("bomb.zip")]
    public async Task Evidence_HostileFixtureFromTheInbox_IsRefusedByNameAndNothingIsStored(string fixture)
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        await OpenInboxAsync(client, await SubmitAsync(client));
        var before = await SnapshotAsync(factory);

        using var content = await ConcernContentAsync(client, url: "/followup", handler: "evidence");
        content.Add(new ByteArrayContent(await File.ReadAllBytesAsync(Fixture(fixture), Ct)), "attachments", fixture);
        using var response = await client.PostAsync("/followup", content, Ct);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(fixture, html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"inbox\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"metadata-removed\"", html, StringComparison.Ordinal);
        AssertEncodedNeverRaw(await response.Content.ReadAsStringAsync(Ct));
        await AssertNothingStoredAsync(factory, before);
    }

    [Fact]
    public async Task Submit_HostileFilesAmongGoodOnes_RefusesTheWholeSubmissionAndStoresNothing()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var before = await SnapshotAsync(factory);
        var files = new List<(string, byte[])> { ("evidence-photo.jpg", await File.ReadAllBytesAsync(Fixture("evidence-photo.jpg"), Ct)) };
        foreach (var hostile in new[] { "not-really.pdf", "script.jpg", "bomb.zip" })
            files.Add((hostile, await File.ReadAllBytesAsync(Fixture(hostile), Ct)));

        using var response = await Forms.SubmitConcernAsync(client, Forms.Concern(), [.. files]);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Nothing was submitted yet.", html, StringComparison.Ordinal);
        Assert.Null(Forms.TestId(html, "receipt"));
        await AssertNothingStoredAsync(factory, before);   // not even the good photo
    }

    // ---- script and SQL in text: stored as text, shown encoded ----

    [Fact]
    public async Task Submit_ScriptAndSqlInEveryTextField_StoresThemAsTextAndTheInboxShowsThemEncoded()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var fields = Forms.Concern(Hostile("description"));
        fields["Model.Customer"] = Hostile("customer");
        fields["Model.WhenWhere"] = Hostile("when");
        fields["Model.PeopleInvolved"] = Hostile("people");
        fields["Model.Mode"] = "confidential";
        fields["Model.Name"] = Hostile("name");
        fields["Model.Contact"] = Hostile("contact");

        using var submitted = await Forms.SubmitConcernAsync(client, fields);
        var receipt = Forms.TestId(await submitted.Content.ReadAsStringAsync(Ct), "receipt");

        Assert.NotNull(receipt);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
            var stored = await db.Cases.SingleAsync(Ct);   // the table is still there, with exactly this one case
            var handler = await SealedReader.SignInDemoAsync(factory.Services);
            var details = (await scope.ServiceProvider.GetRequiredService<CaseQueries>().GetAsync(stored.Id, handler, Ct)).Value!;
            Assert.Equal(Hostile("description"), details.Report.Description);
            Assert.Equal(Hostile("customer"), details.Report.Customer);
            Assert.Equal(Hostile("when"), details.Report.WhenWhere);
            Assert.Equal(Hostile("people"), details.Report.PeopleInvolved);
            var identity = (await SealedReader.AsDemoChairAsync(factory.Services, stored.Id, CaseKeyPart.Identity)).DecryptJson<ReporterIdentity>(SealedField.Identity, stored.ReporterIdentityCiphertext!);
            Assert.Equal((Hostile("name"), Hostile("contact")), (identity.Name, identity.Contact));

            Assert.True((await scope.ServiceProvider.GetRequiredService<CaseService>().SendMessageToReporterAsync(stored.Id, handler, Hostile("committee"), Ct)).Succeeded);
        }

        await OpenInboxAsync(client, receipt);
        using (var reply = await Forms.PostAsync(client, "/followup", "reply", new Dictionary<string, string> { ["Reply.Text"] = Hostile("reply") }))
            Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);   // stored: post/redirect/get
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
            var handler = await SealedReader.SignInDemoAsync(factory.Services);
            var id = await db.Cases.Select(c => c.Id).SingleAsync(Ct);
            var details = (await scope.ServiceProvider.GetRequiredService<CaseQueries>().GetAsync(id, handler, Ct)).Value!;
            Assert.Contains(details.Messages, m => m.Author == MessageAuthor.Reporter && m.Body == Hostile("reply"));
            Assert.True((await scope.ServiceProvider.GetRequiredService<CaseService>().RejectAsync(id, handler, Hostile("internal"), Hostile("summary"), ct: Ct)).Succeeded);
        }
        var inbox = await client.GetStringAsync("/followup", Ct);

        AssertEncodedNeverRaw(inbox);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", inbox, StringComparison.Ordinal);
        foreach (var label in new[] { "committee", "summary", "reply" })
            Assert.Contains(Hostile(label), WebUtility.HtmlDecode(inbox), StringComparison.Ordinal);   // encoded, since never raw
        Assert.Equal(Hostile("summary"), Forms.TestId(inbox, "outcome-summary"));
        Assert.DoesNotContain(Hostile("internal"), WebUtility.HtmlDecode(inbox), StringComparison.Ordinal);   // the internal reason stays internal
    }

    [Fact]
    public async Task Submit_InvalidChoicesWithScriptInText_EchoesTheTextEncodedAndStoresNothing()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var before = await SnapshotAsync(factory);
        var fields = Forms.Concern(Hostile("description"));
        fields["Model.Customer"] = Hostile("c");
        fields["Model.MisuseTypeKey"] = SqlTautology;
        fields["exclude"] = SqlDrop;

        using var response = await Forms.SubmitConcernAsync(client, fields);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Please choose a type of misuse from the list.", html, StringComparison.Ordinal);
        Assert.Contains("Please choose committee members from the list.", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains(Hostile("description"), WebUtility.HtmlDecode(html), StringComparison.Ordinal);   // the reporter's text is kept, as text
        AssertEncodedNeverRaw(html);
        await AssertNothingStoredAsync(factory, before);
    }

    [Fact]
    public async Task ReceiptSaved_ScriptInPostedFields_IsNeitherShownNorStored()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var page = await client.GetStringAsync("/report", Ct);
        var before = await SnapshotAsync(factory);

        // The receipt page shows only what its own cookie carries; fields a page might post back are ignored.
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Forms.TokenFrom(page), ["_handler"] = "receipt-saved",
            ["Saved.Receipt"] = Hostile("receipt"), ["Saved.Reference"] = Hostile("reference"), ["Saved.Proof"] = Hostile("proof"),
        });
        using var response = await client.PostAsync("/report/receipt", content, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        // No receipt to confirm here: the form is not on the page, so Blazor refuses the post as a bad request.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("data-testid=\"receipt\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Hostile("receipt"), WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        AssertEncodedNeverRaw(html);
        await AssertNothingStoredAsync(factory, before);
    }

    [Fact]
    public async Task FollowUpAndVerify_SqlAndScriptAsReceiptOrProof_AreRefusedAsWrongAndChangeNothing()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        await SubmitAsync(client);
        var before = await SnapshotAsync(factory);

        using var receipt = await Forms.PostAsync(client, "/followup", "receipt", new Dictionary<string, string> { ["ReceiptInput.Receipt"] = Hostile("receipt") });
        using var proof = await Forms.PostAsync(client, "/verify", "verify", new Dictionary<string, string> { ["Input.Proof"] = Hostile("proof") });
        var receiptHtml = await receipt.Content.ReadAsStringAsync(Ct);
        var proofHtml = await proof.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        Assert.Equal(Core.FollowUp.FollowUpService.NotFoundMessage, Forms.TestId(receiptHtml, "receipt-error"));
        Assert.Contains("data-valid=\"false\"", proofHtml, StringComparison.Ordinal);
        AssertEncodedNeverRaw(receiptHtml);
        AssertEncodedNeverRaw(proofHtml);
        await AssertNothingStoredAsync(factory, before, auditEntriesAdded: 1);   // only the audited wrong receipt
    }

    // ---- broken encodings ----

    [Fact]
    public async Task Submit_InvalidUtf8InATextField_StoresReplacementCharactersNeverA500()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var fields = Forms.Concern();
        fields.Remove("Model.Description");
        using var content = await ConcernContentAsync(client, fields);
        // A lone continuation byte, a truncated sequence, bytes never valid in UTF-8 and an encoded surrogate half.
        content.Add(new ByteArrayContent([.. "Broken "u8, 0xC3, 0x28, 0xFF, 0xFE, 0x80, 0xED, 0xA0, 0x80, .. " bytes"u8]), "Model.Description");

        using var response = await client.PostAsync("/report", content, Ct);
        var html = await Forms.FollowAsync(client, response);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotNull(Forms.TestId(html, "receipt"));
        await using var scope = factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<EthicsDbContext>().Cases.SingleAsync(Ct);
        var report = (await SealedReader.AsDemoChairAsync(factory.Services, stored.Id)).DecryptJson<CaseReport>(SealedField.Report, stored.ReportCiphertext);
        Assert.StartsWith("Broken ", report.Description, StringComparison.Ordinal);
        Assert.EndsWith(" bytes", report.Description, StringComparison.Ordinal);
        Assert.Contains('\uFFFD', report.Description);
        Assert.DoesNotContain(report.Description, char.IsSurrogate);   // no lone surrogate reached the store
    }

    [Fact]
    public async Task Reply_InvalidUtf8InAUrlEncodedField_IsStoredAsThePercentTextNeverA500()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        await OpenInboxAsync(client, await SubmitAsync(client));
        var page = await client.GetStringAsync("/followup", Ct);

        var body = $"__RequestVerificationToken={Uri.EscapeDataString(Forms.TokenFrom(page))}&_handler=reply&Reply.Text=Broken%C3%28%FF%FE%ED%A0%80bytes";
        using var content = new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync("/followup", content, Ct);
        var html = await Forms.FollowAsync(client, response);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("Reporter", System.Text.RegularExpressions.Regex.Matches(html, "data-author=\"(\\w+)\"").Last().Groups[1].Value);
        await using var scope = factory.Services.CreateAsyncScope();
        var message = await scope.ServiceProvider.GetRequiredService<EthicsDbContext>().CaseMessages.SingleAsync(Ct);
        var text = (await SealedReader.AsDemoChairAsync(factory.Services, message.CaseId)).DecryptText(SealedField.Message, message.BodyCiphertext);
        // ASP.NET's URL decoder leaves a percent sequence that is not valid UTF-8 as it was: stored as plain text.
        Assert.Equal("Broken(%FF%FE%ED%A0%80bytes", text.Replace("%C3", "", StringComparison.Ordinal));
        Assert.DoesNotContain(text, char.IsSurrogate);
    }

    // ---- size and count limits ----

    [Fact]
    public async Task Submit_OneMegabyteDescription_IsRefusedWithTheLimitMessageAndStoresNothing()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var before = await SnapshotAsync(factory);

        using var response = await Forms.SubmitConcernAsync(client, Forms.Concern(new string('x', 1024 * 1024)));
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Please keep the description under 20,000 characters", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"Description\"", html, StringComparison.Ordinal);
        Assert.Null(Forms.TestId(html, "receipt"));
        await AssertNothingStoredAsync(factory, before);
    }

    [Fact]
    public async Task Reply_OneMegabyte_IsRefusedWithTheLimitMessageAndStoresNothing()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        await OpenInboxAsync(client, await SubmitAsync(client));
        var before = await SnapshotAsync(factory);

        using var response = await Forms.PostAsync(client, "/followup", "reply", new Dictionary<string, string> { ["Reply.Text"] = new string('x', 1024 * 1024) });
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"at most {CaseMessage.BodyMaxLength:N0} characters", html, StringComparison.OrdinalIgnoreCase);
        await AssertNothingStoredAsync(factory, before);
    }

    [Fact]
    public async Task Submit_TenThousandFormFields_GetsACalm400PageAndStoresNothing()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var before = await SnapshotAsync(factory);
        using var content = await ConcernContentAsync(client, Forms.Concern());
        for (var i = 0; i < 10_000; i++)
            content.Add(new StringContent($"{EchoMarker}{Script}"), $"Model.Extra{i}");

        using var response = await client.PostAsync("/report", content, Ct);

        Assert.Contains("The form could not be read", await AssertRefusedPageAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await AssertNothingStoredAsync(factory, before);
    }

    [Fact]
    public async Task Reply_TenThousandUrlEncodedFields_GetsACalm400PageAndStoresNothing()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        await OpenInboxAsync(client, await SubmitAsync(client));
        var page = await client.GetStringAsync("/followup", Ct);
        var before = await SnapshotAsync(factory);
        var form = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", Forms.TokenFrom(page)), new("_handler", "reply") };
        for (var i = 0; i < 10_000; i++)
            form.Add(new("Reply.Text", EchoMarker));

        using var response = await client.PostAsync("/followup", new FormUrlEncodedContent(form), Ct);

        await AssertRefusedPageAsync(response, HttpStatusCode.BadRequest);
        await AssertNothingStoredAsync(factory, before);
    }

    [Fact]
    public async Task Submit_MalformedMultipartBody_GetsACalm400PageAndStoresNothing()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        await client.GetStringAsync("/report", Ct);
        var before = await SnapshotAsync(factory);

        using var content = new StringContent($"--zzz\r\nContent-Disposition: form-data; name=\"Model.Description\"\r\n\r\n{EchoMarker}{Script}",
            Encoding.UTF8);   // no closing boundary
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=zzz");
        using var response = await client.PostAsync("/report", content, Ct);

        await AssertRefusedPageAsync(response, HttpStatusCode.BadRequest);
        await AssertNothingStoredAsync(factory, before);
    }

    [Fact]
    public async Task Submit_WithoutAntiforgeryToken_GetsTheCalm400PageInsteadOfTheFrameworkMessage()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var before = await SnapshotAsync(factory);
        using var content = new MultipartFormDataContent { { new StringContent("report"), "_handler" } };
        foreach (var (key, value) in Forms.Concern(EchoMarker))
            content.Add(new StringContent(value), key);

        using var response = await client.PostAsync("/report", content, Ct);

        Assert.Contains("expired", await AssertRefusedPageAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await AssertNothingStoredAsync(factory, before);
    }

    // ---- a 200 MB upload, over a real socket ----

    /// <summary>The portal on a real Kestrel port: only a socket shows whether the server stops reading.</summary>
    private static (PortalFactory Factory, HttpClient Client, CookieContainer Cookies) StartOnSocket()
    {
        var factory = new PortalFactory();
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        var cookies = new CookieContainer();
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies })
        {
            BaseAddress = new Uri(address),
            Timeout = TimeSpan.FromMinutes(2),
        };
        return (factory, client, cookies);
    }

    [Theory]
    [InlineData("/report", true)]
    [InlineData("/report", false)]
    [InlineData("/followup", true)]
    public async Task Upload_200Megabytes_Gets413WithACalmPageWithoutTheServerReadingItAll(string path, bool declareLength)
    {
        var (factory, client, cookies) = StartOnSocket();
        await using var portal = factory;
        using var socketClient = client;
        var handler = "report";
        if (path == "/followup")
        {
            await OpenInboxAsync(client, await SubmitAsync(client));
            handler = "evidence";
        }
        var before = await SnapshotAsync(factory);
        var page = await client.GetStringAsync(path, Ct);
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = Forms.TokenFrom(page), ["_handler"] = handler };
        if (path == "/report")
            foreach (var (key, value) in Forms.Concern(EchoMarker))
                fields[key] = value;
        var upload = new GeneratedUpload(fields, "evidence.pdf", TwoHundredMegabytes);

        var response = await upload.SendAsync(client.BaseAddress!, path, cookies.GetCookieHeader(new Uri(client.BaseAddress!, path)), declareLength, Ct);

        AssertRefusedPage(response.Status, response.ContentType, response.Body, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("too large", response.Body, StringComparison.Ordinal);
        Assert.Contains("100 MB in total", response.Body, StringComparison.Ordinal);
        // Declared: refused before the body is read (what was sent sits in socket buffers). Chunked: stopped at the ~104 MB limit.
        Assert.True(upload.Sent < (declareLength ? 32L * 1024 * 1024 : 150L * 1024 * 1024), $"the server let {upload.Sent:N0} bytes through");
        await AssertNothingStoredAsync(factory, before);
    }

    private sealed record RawResponse(int Status, string? ContentType, string Body);

    /// <summary>
    /// A multipart upload sent as a browser sends it, over a plain socket: the body is generated as it is written
    /// (200 MB cost 64 KB of memory), and the response is read while the body is still going out, so an early 413
    /// is seen even when the server then closes the connection (HttpClient reports only the failed write).
    /// <see cref="Sent"/> tells how much of the body the server let through.
    /// </summary>
    private sealed class GeneratedUpload
    {
        private readonly byte[] _head;
        private readonly byte[] _tail;
        private readonly string _contentType;
        private readonly long _fileBytes;
        private long _sent;

        public GeneratedUpload(IReadOnlyDictionary<string, string> fields, string fileName, long fileBytes)
        {
            var boundary = "----hostile" + Guid.NewGuid().ToString("N");
            var head = new StringBuilder();
            foreach (var (key, value) in fields)
                head.Append(CultureInfo.InvariantCulture, $"--{boundary}\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n{value}\r\n");
            head.Append(CultureInfo.InvariantCulture, $"--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"{fileName}\"\r\nContent-Type: application/pdf\r\n\r\n");
            _head = Encoding.UTF8.GetBytes(head.ToString());
            _tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
            _contentType = $"multipart/form-data; boundary={boundary}";
            _fileBytes = fileBytes;
        }

        public long Sent => Interlocked.Read(ref _sent);

        public async Task<RawResponse> SendAsync(Uri server, string path, string cookies, bool declareLength, CancellationToken ct)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, server.Port, ct);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var length = _head.Length + _fileBytes + _tail.Length;
            var framing = declareLength ? $"Content-Length: {length.ToString(CultureInfo.InvariantCulture)}" : "Transfer-Encoding: chunked";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: {_contentType}\r\nCookie: {cookies}\r\n{framing}\r\n\r\n"), ct);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var sending = WriteBodyAsync(stream, chunked: !declareLength, stop.Token);
            var response = await ReadResponseAsync(stream, ct);
            await stop.CancelAsync();
            try
            {
                await sending;
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // the server closed the connection it no longer wanted: expected
            }
            return response;
        }

        private async Task WriteBodyAsync(Stream stream, bool chunked, CancellationToken ct)
        {
            async Task WriteAsync(ReadOnlyMemory<byte> bytes)
            {
                if (chunked)
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length:X}\r\n"), ct);
                await stream.WriteAsync(bytes, ct);
                if (chunked)
                    await stream.WriteAsync("\r\n"u8.ToArray(), ct);
                Interlocked.Add(ref _sent, bytes.Length);
            }

            await WriteAsync(_head);
            var chunk = new byte[64 * 1024];
            "%PDF-1.7\n"u8.CopyTo(chunk);
            for (var left = _fileBytes; left > 0; left -= chunk.Length)
                await WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)));
            await WriteAsync(_tail);
            if (chunked)
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), ct);
        }

        /// <summary>Reads until the server closes the connection (the 413 page asks for that) or one minute passes.</summary>
        private static async Task<RawResponse> ReadResponseAsync(Stream stream, CancellationToken ct)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(1));
            using var received = new MemoryStream();
            var buffer = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
                    received.Write(buffer, 0, read);
            }
            catch (IOException) when (received.Length > 0)
            {
                // a reset after the response arrived: the response is what matters
            }
            var bytes = received.ToArray();
            var split = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
            Assert.True(split > 0, $"no HTTP response, only {bytes.Length} bytes");
            var lines = Encoding.ASCII.GetString(bytes, 0, split).Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
            string? Header(string name) => lines.Skip(1).Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
                .Select(l => l[(name.Length + 1)..].Trim()).FirstOrDefault();
            var body = bytes.AsSpan(split + 4).ToArray();
            if (string.Equals(Header("Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase))
                body = Dechunk(body);
            return new RawResponse(status, Header("Content-Type")?.Split(';')[0], Encoding.UTF8.GetString(body));
        }

        private static byte[] Dechunk(byte[] chunked)
        {
            using var result = new MemoryStream();
            var at = 0;
            while (at < chunked.Length)
            {
                var end = chunked.AsSpan(at).IndexOf("\r\n"u8);
                if (end < 0)
                    break;
                var size = int.Parse(Encoding.ASCII.GetString(chunked, at, end).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                    break;
                result.Write(chunked, at + end + 2, Math.Min(size, chunked.Length - at - end - 2));
                at += end + 2 + size + 2;
            }
            return result.ToArray();
        }
    }
}

/// <summary>The committee's case page over the real services: a hostile report is shown as text, never as markup.</summary>
public sealed class CasePageHostileInputTests : CoreBackedTestContext
{
    private const string Script = "<script>alert(1)</script><img src=x onerror=alert(2)>'; DROP TABLE Cases; --";

    [Fact]
    public async Task CasePage_ScriptAndSqlInEveryReportField_RendersThemAsTextNotMarkup()
    {
        var ct = TestContext.Current.CancellationToken;
        var handler = SignInAs("hana", Roles.Handler);
        var general = (await Get<QueueAdminService>().QueuesAsync(ct)).Single(q => q.IsDefault).Id;
        await Get<QueueAdminService>().SetMembersAsync(general, [handler], CreateAccount("ada", Roles.Admin), ct);
        var receipt = (await Get<IntakeService>().SubmitAsync(new ConcernSubmission("customer " + Script, "cloud-storage", "mass-surveillance",
            "description " + Script, "when " + Script, HowKnown.SawIt, OngoingHarm.Yes, "people " + Script, [], null, []), ct)).Value!;
        int id;
        await using (var db = await Get<IDbContextFactory<EthicsDbContext>>().CreateDbContextAsync(ct))
            id = await db.Cases.Where(c => c.Reference == receipt.CaseReference).Select(c => c.Id).SingleAsync(ct);
        RenderProviders();

        var page = Render<CasePage>(p => p.Add(x => x.CaseId, id));

        page.WaitForAssertion(() => Assert.Equal("description " + Script, page.Find("[data-testid=report-description]").TextContent));
        Assert.Empty(page.FindAll("script"));
        Assert.Empty(page.FindAll("img[src=x]"));
        foreach (var label in new[] { "customer ", "when ", "people " })
            Assert.Contains(label + Script, page.Nodes.Select(n => n.TextContent).Aggregate("", string.Concat), StringComparison.Ordinal);
    }
}
