using EthicsPortal.Core.Sealing;
using System.Net;
using System.Text;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using EthicsPortal.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests.Report;

public class IntakeHttpTests
{
    private const string UserAgent = "Mozilla/5.0 (X11; Linux) ReporterBrowser/99.7-unique-ua";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static async Task<(int Cases, int Contents, int Audit)> CountsAsync(PortalFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        return (await db.Cases.CountAsync(Ct), await db.AttachmentContents.CountAsync(Ct), await db.AuditEntries.CountAsync(Ct));
    }

    private static bool Contains(byte[] haystack, string needle)
        => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0 || haystack.AsSpan().IndexOf(Encoding.Unicode.GetBytes(needle)) >= 0;

    [Fact]
    public async Task Submit_AnonymousWithAttachment_CreatesReceivedCaseAndShowsReceiptOnce()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        const string secret = "Unmistakable-report-text-4471-intercepts";
        var noteBytes = Encoding.UTF8.GetBytes("Evidence note: bucket gov-intercepts-9931 holds call recordings.");

        using var response = await Forms.SubmitConcernAsync(client, Forms.Concern(secret), ("note.txt", noteBytes));
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = Forms.TestId(html, "receipt");
        Assert.Matches("^([0-9A-Z]{4}-){5}[0-9A-Z]{4}$", receipt);
        Assert.Contains("data-testid=\"receipt-saved\"", html, StringComparison.Ordinal);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var stored = await db.Cases.Include(c => c.Attachments).Include(c => c.Events).SingleAsync(Ct);
        Assert.Equal(CaseStatus.Received, stored.Status);
        Assert.Equal(ReportChannel.WebAnonymous, stored.Channel);
        Assert.Null(stored.ReporterIdentityCiphertext);
        Assert.Equal(await db.Queues.Where(q => q.IsDefault).Select(q => q.Id).SingleAsync(Ct), stored.QueueId);
        Assert.Equal(0, stored.ReceivedAt.Minute + stored.ReceivedAt.Second + stored.ReceivedAt.Millisecond);   // to the hour
        Assert.Single(stored.Attachments);
        Assert.Equal(CaseStatus.Received, Assert.Single(stored.Events).To);
        Assert.Equal(scope.ServiceProvider.GetRequiredService<ReceiptCodes>().Hash(receipt), stored.ReceiptHash);

        var cipher = await SealedReader.AsDemoChairAsync(factory.Services, stored.Id);
        Assert.Equal(secret, cipher.DecryptJson<CaseReport>(SealedField.Report, stored.ReportCiphertext).Description);

        var audit = Assert.Single(await ReporterAudit.EntriesAsync(db, "case.received"));
        Assert.Equal("reporter", audit.Actor);
        Assert.Equal(0, audit.At.Minute + audit.At.Second + audit.At.Millisecond);
        Assert.Equal($"case:{stored.Reference}", audit.Subject);
        Assert.DoesNotContain(secret, audit.Details ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_Anonymous_LeavesNoClientTraceAndNoPlaintextInTheDatabaseFileOrLogs()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        const string secret = "Unmistakable-report-text-8812-targeting";
        const string evidence = "Attachment-body-text-should-never-be-readable-5521";

        using var response = await Forms.SubmitConcernAsync(client, Forms.Concern(secret), ("evidence.txt", Encoding.UTF8.GetBytes(evidence)));
        var receipt = Forms.TestId(await response.Content.ReadAsStringAsync(Ct), "receipt")!;
        var raw = await factory.RawDatabaseAsync();
        var logs = string.Join("\n", factory.Logs);
        Assert.True(Contains(raw, "mass-surveillance"), "the search must see what is stored in plain (the misuse type)");

        foreach (var needle in new[] { secret, evidence, "gov-intercepts", "Ministry of Interior", receipt, receipt.Replace("-", "", StringComparison.Ordinal),
                     PortalFactory.ClientAddress.ToString(), "ReporterBrowser", "evidence.txt" })
        {
            Assert.False(Contains(raw, needle), $"the database file contains '{needle}'");
            Assert.DoesNotContain(needle, logs, StringComparison.Ordinal);
        }
        Assert.NotEmpty(factory.Logs);   // the capture works: the host did log
    }

    [Fact]
    public async Task Submit_MissingDescription_ShowsFieldErrorAndStoresNothing()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var before = await CountsAsync(factory);

        using var response = await Forms.SubmitConcernAsync(client, Forms.Concern(description: "   "));
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("data-field=\"Description\"", html, StringComparison.Ordinal);
        Assert.Contains("Please describe what happened.", html, StringComparison.Ordinal);
        Assert.Null(Forms.TestId(html, "receipt"));
        Assert.Equal(before, await CountsAsync(factory));
    }

    [Fact]
    public async Task Submit_UnknownProduct_IsRefusedWithAClearMessage()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var fields = Forms.Concern();
        fields["Model.ProductKey"] = "'; DROP TABLE Cases; --";

        using var response = await Forms.SubmitConcernAsync(client, fields);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("Please choose a product or service from the list.", html, StringComparison.Ordinal);
        Assert.Equal(0, (await CountsAsync(factory)).Cases);
    }

    [Theory]
    [InlineData("not-really.pdf", "not a PDF")]
    [InlineData("script.jpg", "not a JPEG")]
    [InlineData("bomb.zip", "")]
    public async Task Submit_HostileFixture_IsRefusedAndNothingIsStored(string fixture, string expected)
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var before = await CountsAsync(factory);

        using var response = await Forms.SubmitConcernAsync(client, Forms.Concern(), (fixture, await File.ReadAllBytesAsync(Fixture(fixture), Ct)));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

        Assert.Contains("Nothing was submitted yet.", html, StringComparison.Ordinal);
        Assert.Contains(fixture, html, StringComparison.Ordinal);
        Assert.Contains(expected, html, StringComparison.OrdinalIgnoreCase);
        Assert.Null(Forms.TestId(html, "receipt"));
        Assert.Equal(before, await CountsAsync(factory));
    }

    [Fact]
    public async Task Submit_SignedInEmployeeChoosingAnonymous_StoresNoIdentity()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        using (var signIn = await Forms.SignInAsync(client, "employee@demo.local", DemoSeeder.DemoPassword))
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var fields = Forms.Concern();
        fields["Model.UseAccount"] = "true";   // ignored: the mode is anonymous

        using var response = await Forms.SubmitConcernAsync(client, fields);

        Assert.NotNull(Forms.TestId(await response.Content.ReadAsStringAsync(Ct), "receipt"));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var stored = await db.Cases.SingleAsync(Ct);
        var employee = await db.Users.SingleAsync(u => u.Email == "employee@demo.local", Ct);
        Assert.Null(stored.ReporterIdentityCiphertext);
        Assert.Equal(ReportChannel.WebAnonymous, stored.Channel);
        var received = Assert.Single(await ReporterAudit.EntriesAsync(db, "case.received"));
        Assert.Equal("reporter", received.Actor);
        Assert.DoesNotContain(employee.Id, received.Details ?? "", StringComparison.Ordinal);
        Assert.Equal(0, received.At.Minute + received.At.Second);   // hour only
    }

    [Fact]
    public async Task Submit_ConfidentialWithNameAndContact_StoresTheIdentityEncrypted()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var fields = Forms.Concern();
        fields["Model.Mode"] = "confidential";
        fields["Model.Name"] = "Riley Confidential-Reporter";
        fields["Model.Contact"] = "riley.private@example.net";

        using var response = await Forms.SubmitConcernAsync(client, fields);
        var raw = await factory.RawDatabaseAsync();

        Assert.True(Contains(raw, "mass-surveillance"), "the search must see what is stored in plain (the misuse type)");
        Assert.NotNull(Forms.TestId(await response.Content.ReadAsStringAsync(Ct), "receipt"));
        Assert.False(Contains(raw, "Riley Confidential-Reporter"));
        Assert.False(Contains(raw, "riley.private@example.net"));
        await using var scope = factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<EthicsDbContext>().Cases.SingleAsync(Ct);
        var identity = (await SealedReader.AsDemoChairAsync(factory.Services, stored.Id, CaseKeyPart.Identity)).DecryptJson<ReporterIdentity>(SealedField.Identity, stored.ReporterIdentityCiphertext!);
        Assert.Equal(ReportChannel.WebConfidential, stored.Channel);
        Assert.Equal("riley.private@example.net", identity.Contact);
    }

    [Fact]
    public async Task Submit_ConfidentialWithoutContact_AsksForIt()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var fields = Forms.Concern();
        fields["Model.Mode"] = "confidential";
        fields["Model.Name"] = "Riley";

        using var response = await Forms.SubmitConcernAsync(client, fields);

        Assert.Contains("data-field=\"Contact\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, (await CountsAsync(factory)).Cases);
    }

    [Fact]
    public async Task Submit_EleventhInAnHour_IsStoredForTheChairsScreening_NotRefused()
    {
        await using var factory = new PortalFactory();   // the shipped limits: 10 a client an hour
        using var client = factory.CreateBrowserlikeClient();

        var receipts = new List<string?>();
        for (var i = 0; i < 11; i++)
        {
            using var response = await Forms.SubmitConcernAsync(client, Forms.Concern($"Concern number {i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            receipts.Add(Forms.TestId(await response.Content.ReadAsStringAsync(Ct), "receipt"));
        }

        Assert.All(receipts, r => Assert.False(string.IsNullOrEmpty(r)));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var screening = await db.Cases.Where(c => c.AwaitsScreening).Select(c => c.Id).ToListAsync(Ct);
        Assert.Equal(11, await db.Cases.CountAsync(Ct));
        var held = Assert.Single(screening);
        var queries = scope.ServiceProvider.GetRequiredService<CaseQueries>();
        var handler = await db.Users.Where(u => u.Email == "handler@demo.local").Select(u => u.Id).SingleAsync(Ct);
        var chair = await db.Users.Where(u => u.Email == "chair@demo.local").Select(u => u.Id).SingleAsync(Ct);
        Assert.False((await queries.GetAsync(held, handler, Ct)).Succeeded);   // the queue does not see it yet
        Assert.True((await queries.GetAsync(held, chair, Ct)).Succeeded);
        Assert.Equal(0, await db.Notifications.CountAsync(n => n.CaseId == held, Ct));   // a flood does not bury the notices
    }

    [Fact]
    public async Task Submit_WithAnEmptyFile_SaysSoAndStoresNothing_ButNoFileChosenIsFine()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var before = await CountsAsync(factory);

        using var empty = await Forms.SubmitConcernAsync(client, Forms.Concern("With an empty file"), ("notes.txt", []));
        var page = await empty.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("“notes.txt” is empty", System.Net.WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Null(Forms.TestId(page, "receipt"));
        Assert.Equal(before, await CountsAsync(factory));
        using var none = await Forms.SubmitConcernAsync(client, Forms.Concern("No file at all"), ("", []));   // what a browser sends with no file chosen
        Assert.NotNull(Forms.TestId(await none.Content.ReadAsStringAsync(Ct), "receipt"));
    }

    [Fact]
    public async Task Flood_PastWhatScreeningMayHold_IsRefusedWithTheFormKept_AndRefusalsUseUpNothingOfTheOthers()
    {
        await using var factory = new PortalFactory();
        factory.Settings["Intake:SubmissionsPerClientPerHour"] = "1";
        factory.Settings["Intake:SubmissionsPerHour"] = "3";
        factory.Settings["Intake:ScreeningPerHour"] = "2";
        using var flooder = factory.CreateBrowserlikeClient("198.51.100.1");

        var statuses = new List<HttpStatusCode>();
        string? refusedPage = null;
        for (var i = 0; i < 6; i++)
        {
            using var response = await Forms.SubmitConcernAsync(flooder, Forms.Concern($"Flood number {i}"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                refusedPage = await response.Content.ReadAsStringAsync(Ct);
        }

        // One to the committee, two to screening, then refused: what the portal can store in a flood is bounded.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests,
            HttpStatusCode.TooManyRequests], statuses);
        Assert.Contains("unusual flood", refusedPage, StringComparison.Ordinal);
        Assert.Contains("Flood number 5", refusedPage, StringComparison.Ordinal);   // what the reporter wrote is still in the form
        Assert.Equal(3, (await CountsAsync(factory)).Cases);

        // The refused tries used up nothing: two other reporters still reach the committee directly.
        foreach (var address in new[] { "198.51.100.2", "198.51.100.3" })
        {
            using var other = factory.CreateBrowserlikeClient(address);
            using var response = await Forms.SubmitConcernAsync(other, Forms.Concern($"Genuine from {address}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        Assert.Equal(3, await db.Cases.CountAsync(c => !c.AwaitsScreening, Ct));
        Assert.Equal(2, await db.Cases.CountAsync(c => c.AwaitsScreening, Ct));
    }

    [Fact]
    public async Task ReceiptSaved_Unchecked_KeepsShowingTheReceipt_CheckedSaysThankYou()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        using var submitted = await Forms.SubmitConcernAsync(client, Forms.Concern());
        var html = await submitted.Content.ReadAsStringAsync(Ct);
        var receipt = Forms.TestId(html, "receipt")!;
        var token = Forms.TokenFrom(html);

        async Task<string> ConfirmAsync(bool saved)
        {
            var form = new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["_handler"] = "receipt-saved",
            };
            if (saved)
                form["Saved.Saved"] = "true";
            using var content = new FormUrlEncodedContent(form);
            using var response = await client.PostAsync("/report/receipt", content, Ct);
            return await response.Content.ReadAsStringAsync(Ct);
        }

        var unchecked_ = await ConfirmAsync(saved: false);
        var done = await ConfirmAsync(saved: true);

        Assert.Contains("receipt-not-confirmed", unchecked_, StringComparison.Ordinal);
        Assert.Equal(receipt, Forms.TestId(unchecked_, "receipt"));
        Assert.Contains("data-testid=\"report-done\"", done, StringComparison.Ordinal);
        Assert.DoesNotContain(receipt, done, StringComparison.Ordinal);
        // Confirmed: the receipt is gone from the browser too.
        var again = await client.GetStringAsync("/report/receipt", Ct);
        Assert.DoesNotContain(receipt, again, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"report-form\"", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_AnswersWithARedirect_ReloadingTheReceiptStoresNothingTwice()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var page = await client.GetStringAsync("/report", Ct);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(Forms.TokenFrom(page)), "__RequestVerificationToken" },
            { new StringContent("report"), "_handler" },
        };
        foreach (var (key, value) in Forms.Concern())
            content.Add(new StringContent(value), key);

        using var posted = await client.PostAsync("/report", content, Ct);
        Assert.True(posted.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther, $"got {(int)posted.StatusCode}");
        Assert.Equal("/report/receipt", PortalFactory.PathOf(posted));
        var cookie = Assert.Single(posted.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ep.receipt=", StringComparison.Ordinal));
        Assert.DoesNotContain("expires", cookie, StringComparison.OrdinalIgnoreCase);   // a session cookie
        Assert.DoesNotContain("max-age", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        var first = await client.GetStringAsync("/report/receipt", Ct);
        var reload = await client.GetStringAsync("/report/receipt", Ct);   // what a reload sends: a GET

        var receipt = Forms.TestId(first, "receipt");
        Assert.Matches("^([0-9A-Z]{4}-){5}[0-9A-Z]{4}$", receipt);
        Assert.Equal(receipt, Forms.TestId(reload, "receipt"));
        Assert.Equal(1, (await CountsAsync(factory)).Cases);
    }

    [Fact]
    public async Task Proof_DownloadsAndVerifies_TamperedProofDoesNot()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        using var submitted = await Forms.SubmitConcernAsync(client, Forms.Concern());
        var html = await submitted.Content.ReadAsStringAsync(Ct);
        var proofJson = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "name=\"proof\" value=\"([^\"]*)\"").Groups[1].Value);

        using var download = await client.PostAsync("/report/proof", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Forms.TokenFrom(html), ["proof"] = proofJson,
        }), Ct);
        var file = await download.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.DoesNotContain(Forms.TestId(html, "receipt")!, file, StringComparison.Ordinal);

        using var valid = await Forms.PostAsync(client, "/verify", "verify", new Dictionary<string, string> { ["Input.Proof"] = file });
        var tampered = file.Replace("\"case\": \"C-", "\"case\": \"D-", StringComparison.Ordinal);
        using var invalid = await Forms.PostAsync(client, "/verify", "verify", new Dictionary<string, string> { ["Input.Proof"] = tampered });

        Assert.Contains("data-valid=\"true\"", await valid.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("data-valid=\"false\"", await invalid.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.NotEqual(file, tampered);
    }
}
