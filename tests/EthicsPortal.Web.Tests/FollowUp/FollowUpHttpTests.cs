using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Notifications;
using System.Net;
using System.Text;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using EthicsPortal.Tests.Shared;
using EthicsPortal.Web.Components.FollowUp;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EthicsPortal.Web.Tests.FollowUp;

public class FollowUpHttpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> SubmitAsync(HttpClient client, string description = "Recordings of civilians stored in bucket 7731.")
    {
        using var response = await Forms.SubmitConcernAsync(client, Forms.Concern(description));
        return Forms.TestId(await response.Content.ReadAsStringAsync(Ct), "receipt") ?? throw new InvalidOperationException("no receipt");
    }

    private static Task<HttpResponseMessage> OpenAsync(HttpClient client, string receipt)
        => Forms.PostAsync(client, "/followup", "receipt", new Dictionary<string, string> { ["ReceiptInput.Receipt"] = receipt });

    private static async Task<string> InboxAsync(HttpClient client) => await client.GetStringAsync("/followup", Ct);

    /// <summary>The inbox's evidence form as a browser posts it, with one fixture file.</summary>
    private static async Task<HttpResponseMessage> UploadEvidenceAsync(HttpClient client, string fixture)
    {
        var page = await InboxAsync(client);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(Forms.TokenFrom(page)), "__RequestVerificationToken" },
            { new StringContent("evidence"), "_handler" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture), Ct)), "attachments", fixture },
        };
        return await client.PostAsync("/followup", content, Ct);
    }

    private static async Task<(int CaseId, string Handler)> CaseAndHandlerAsync(PortalFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        return (await db.Cases.Select(c => c.Id).SingleAsync(Ct), await SealedReader.SignInDemoAsync(factory.Services));
    }

    [Fact]
    public async Task FollowUp_WithReceipt_ShowsStatusAndDeadlines_AndTheReplyArrives()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var receipt = await SubmitAsync(client);

        using var open = await OpenAsync(client, receipt.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal));   // typed loosely
        var inbox = await InboxAsync(client);

        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Equal("Received", Forms.TestId(inbox, "case-status"));
        Assert.NotNull(Forms.TestId(inbox, "received-on"));
        Assert.StartsWith("due by", Forms.TestId(inbox, "ack-due"), StringComparison.Ordinal);
        Assert.StartsWith("due by", Forms.TestId(inbox, "feedback-due"), StringComparison.Ordinal);
        var cookie = Assert.Single(open.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ep.followup=", StringComparison.Ordinal));
        Assert.Contains("path=/followup", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(receipt.Replace("-", "", StringComparison.Ordinal), cookie, StringComparison.OrdinalIgnoreCase);

        using var reply = await Forms.PostAsync(client, "/followup", "reply", new Dictionary<string, string> { ["Reply.Text"] = "One more detail: it started in March." });
        var after = await Forms.FollowAsync(client, reply);

        Assert.Contains("One more detail: it started in March.", after, StringComparison.Ordinal);
        Assert.Contains("data-author=\"Reporter\"", after, StringComparison.Ordinal);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var replied = Assert.Single(await ReporterAudit.EntriesAsync(db, "followup.replied"));
        Assert.Equal("reporter", replied.Actor);
        Assert.DoesNotContain("March", replied.Details ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowUp_CommitteeMessageAndAcknowledgement_AppearInTheInbox()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var receipt = await SubmitAsync(client);
        var (caseId, handler) = await CaseAndHandlerAsync(factory);
        var cases = factory.Services.GetRequiredService<CaseService>();

        Assert.True((await cases.AcknowledgeAsync(caseId, handler, ct: Ct)).Succeeded);
        Assert.True((await cases.SendMessageToReporterAsync(caseId, handler, "Thank you. Can you say which region?", Ct)).Succeeded);
        using (await OpenAsync(client, receipt)) { }
        var inbox = await InboxAsync(client);

        Assert.Equal("Acknowledged", Forms.TestId(inbox, "case-status"));
        Assert.StartsWith("sent on", Forms.TestId(inbox, "ack-due"), StringComparison.Ordinal);
        Assert.Contains("Thank you. Can you say which region?", inbox, StringComparison.Ordinal);
        Assert.Contains("data-author=\"Committee\"", inbox, StringComparison.Ordinal);
        Assert.DoesNotContain("handler@demo.local", inbox, StringComparison.Ordinal);   // the reporter sees "the ethics committee"
    }

    [Fact]
    public async Task FollowUp_ClosedCase_ShowsTheOutcomeSummaryTheCommitteeChose()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var receipt = await SubmitAsync(client);
        var (caseId, handler) = await CaseAndHandlerAsync(factory);
        var cases = factory.Services.GetRequiredService<CaseService>();
        await cases.RejectAsync(caseId, handler, "not our product", "This concerns a product we do not sell; we passed it on.", ct: Ct);

        using (await OpenAsync(client, receipt)) { }
        var inbox = await InboxAsync(client);

        Assert.Equal("Rejected", Forms.TestId(inbox, "case-status"));
        Assert.Equal("This concerns a product we do not sell; we passed it on.", Forms.TestId(inbox, "outcome-summary"));
        Assert.DoesNotContain("not our product", inbox, StringComparison.Ordinal);   // the internal reason stays internal
    }

    [Fact]
    public async Task FollowUp_WrongAndNonexistentReceipts_LookIdentical_AndAreAuditedWithoutTheValue()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        await SubmitAsync(client);

        using var malformed = await OpenAsync(client, "not a receipt at all");
        using var wellFormed = await OpenAsync(client, "ABCD-EFGH-JKMN-PQRS-TVWX-YZ23");

        Assert.Equal(malformed.StatusCode, wellFormed.StatusCode);
        Assert.Equal(Forms.TestId(await malformed.Content.ReadAsStringAsync(Ct), "receipt-error"),
                     Forms.TestId(await wellFormed.Content.ReadAsStringAsync(Ct), "receipt-error"));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var rejected = await ReporterAudit.EntriesAsync(db, "followup.receipt-rejected");
        Assert.Equal(2, rejected.Count);
        Assert.All(rejected, e => Assert.DoesNotContain("ABCD", $"{e.Subject} {e.Details}", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs, l => l.Contains("ABCD-EFGH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FollowUp_PastTenWrongReceiptsInAnHour_TheRightOneStillOpens_OnlyAfterAWait()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var receipt = await SubmitAsync(client);

        for (var i = 0; i < 10; i++)
        {
            using var wrong = await OpenAsync(client, $"ABCD-EFGH-JKMN-PQRS-TVWX-{i:D4}");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var eleventh = await OpenAsync(client, receipt);
        clock.Stop();

        // Never refused (a Tor exit that a guesser shares must not lock its reporters out), but slowed: the default wait.
        Assert.Equal(HttpStatusCode.Redirect, eleventh.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"answered after {clock.Elapsed}");
        Assert.Contains("data-testid=\"inbox\"", await InboxAsync(client), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leave_EndsTheVisit()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var receipt = await SubmitAsync(client);
        using (await OpenAsync(client, receipt)) { }

        using var leave = await Forms.PostAsync(client, "/followup", "leave", new Dictionary<string, string>());
        var after = await InboxAsync(client);

        Assert.Contains("data-testid=\"left\"", await leave.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"receipt-input\"", after, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"inbox\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leave_OnOneInstance_VoidsACopyOfTheVisitCookie_OnAnother()
    {
        await using var first = new PortalFactory();
        using var client = first.CreateBrowserlikeClient();
        var receipt = await SubmitAsync(client);
        string cookie;
        using (var open = await OpenAsync(client, receipt))
            cookie = open.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(FollowUpSession.CookieName + "=", StringComparison.Ordinal)).Split(';')[0];
        await using var second = first.AnotherInstance();
        using var copy = second.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        async Task<string> WithCopyAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/followup");
            request.Headers.Add("Cookie", cookie);
            using var response = await copy.SendAsync(request, Ct);
            return await response.Content.ReadAsStringAsync(Ct);
        }
        Assert.Contains("data-testid=\"inbox\"", await WithCopyAsync(), StringComparison.Ordinal);   // the instances share the visit

        using (await Forms.PostAsync(client, "/followup", "leave", new Dictionary<string, string>())) { }

        Assert.DoesNotContain("data-testid=\"inbox\"", await WithCopyAsync(), StringComparison.Ordinal);
        await using var scope = first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var ended = await db.EndedVisits.SingleAsync(Ct);
        Assert.Equal(0, ended.Until.Minute + ended.Until.Second + ended.Until.Millisecond);   // kept to the hour, like every reporter time
    }

    [Fact]
    public async Task Visit_Idle16Minutes_NeedsTheReceiptAgain_ButActivityKeepsItAlive()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new PortalFactory { Time = time };
        using var client = factory.CreateBrowserlikeClient();
        var receipt = await SubmitAsync(client);
        using (await OpenAsync(client, receipt)) { }

        time.Advance(TimeSpan.FromMinutes(10));
        var stillThere = await InboxAsync(client);
        time.Advance(TimeSpan.FromMinutes(10));   // 20 minutes since opening, 10 since the last visit
        var slid = await InboxAsync(client);
        time.Advance(TimeSpan.FromMinutes(16));
        var expired = await InboxAsync(client);

        Assert.Contains("data-testid=\"inbox\"", stillThere, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"inbox\"", slid, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"inbox\"", expired, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckIn_After30Days_AskedOnce_YesFlagsTheCaseForTheChair()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new PortalFactory { Time = time };
        using var client = factory.CreateBrowserlikeClient();
        var receipt = await SubmitAsync(client);
        using (await OpenAsync(client, receipt)) { }
        Assert.DoesNotContain("data-testid=\"checkin\"", await InboxAsync(client), StringComparison.Ordinal);

        time.Advance(TimeSpan.FromDays(31));
        using (await OpenAsync(client, receipt)) { }
        var asked = await InboxAsync(client);
        using var answered = await Forms.PostAsync(client, "/followup", "checkin", new Dictionary<string, string>
        {
            ["CheckIn.Day"] = "30", ["CheckIn.Answer"] = "yes", ["CheckIn.Details"] = "My manager moved me off the project.",
        });
        var after = await Forms.FollowAsync(client, answered);

        Assert.Contains("Since you reported, have you been treated worse at work because of it?", WebUtility.HtmlDecode(asked), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"checkin\"", after, StringComparison.Ordinal);
        await using var scope = factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<EthicsDbContext>().Cases.Include(c => c.CheckIns).SingleAsync(Ct);
        Assert.True(stored.RetaliationFlagged);
        var checkIn = Assert.Single(stored.CheckIns);
        Assert.Equal("My manager moved me off the project.",
            (await SealedReader.AsDemoChairAsync(factory.Services, stored.Id)).DecryptText(SealedField.Message, checkIn.DetailsCiphertext!));
    }

    [Fact]
    public async Task Evidence_AddedFromTheInbox_IsCleanedAndStoredEncrypted()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var receipt = await SubmitAsync(client);
        using (await OpenAsync(client, receipt)) { }

        using var response = await UploadEvidenceAsync(client, "evidence-photo.jpg");
        var html = WebUtility.HtmlDecode(await Forms.FollowAsync(client, response));

        Assert.Contains("data-testid=\"metadata-removed\"", html, StringComparison.Ordinal);
        Assert.Contains("GPS", html, StringComparison.OrdinalIgnoreCase);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var stored = await db.Attachments.Include(a => a.Content).SingleAsync(Ct);
        var bytes = (await SealedReader.AsDemoChairAsync(factory.Services, stored.CaseId)).Decrypt(SealedField.Attachment, stored.Content.Ciphertext);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes("Jane Employee")));
        Assert.Equal(0xFF, bytes[0]);   // still a JPEG
        Assert.NotEmpty(await ReporterAudit.EntriesAsync(db, "followup.evidence-added"));
    }

    [Fact]
    public async Task Evidence_HostileFileFromTheInbox_IsRefusedAndNothingIsStored()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var receipt = await SubmitAsync(client);
        using (await OpenAsync(client, receipt)) { }

        using var response = await UploadEvidenceAsync(client, "not-really.pdf");

        Assert.Contains("not-really.pdf", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<EthicsDbContext>().Attachments.CountAsync(Ct));
    }

    [Fact]
    public async Task Inbox_AVisitShowsNoNotice_AnActionShowsItsConfirmationOnce_InTheReportersLanguage()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("de");
        var receipt = await SubmitAsync(client);
        using (await OpenAsync(client, receipt)) { }

        var visit = await InboxAsync(client);
        using var reply = await Forms.PostAsync(client, "/followup", "reply", new Dictionary<string, string> { ["Reply.Text"] = "Noch ein Detail." });
        var afterReply = await Forms.FollowAsync(client, reply);
        var reload = await InboxAsync(client);

        Assert.DoesNotContain("data-testid=\"notice\"", visit, StringComparison.Ordinal);
        Assert.DoesNotContain("_notice", visit, StringComparison.Ordinal);
        Assert.Equal("Ihre Nachricht wurde an das Ethikkomitee gesendet.", Forms.TestId(afterReply, "notice"));
        Assert.DoesNotContain("data-testid=\"notice\"", reload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvidenceReplyAndCheckIn_AnswerWithARedirect_SoAReloadStoresNothingTwice()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new PortalFactory { Time = time };
        using var client = factory.CreateBrowserlikeClient();
        var receipt = await SubmitAsync(client);
        time.Advance(TimeSpan.FromDays(31));
        using (await OpenAsync(client, receipt)) { }

        using var evidence = await UploadEvidenceAsync(client, "evidence-photo.jpg");
        var shown = await InboxAsync(client);   // the GET the redirect leads to, and then a reload
        var reloaded = await InboxAsync(client);
        using var reply = await Forms.PostAsync(client, "/followup", "reply", new Dictionary<string, string> { ["Reply.Text"] = "Once only." });
        using var checkIn = await Forms.PostAsync(client, "/followup", "checkin", new Dictionary<string, string> { ["CheckIn.Day"] = "30", ["CheckIn.Answer"] = "no", ["CheckIn.Details"] = "" });
        foreach (var posted in new[] { evidence, reply, checkIn })
        {
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            Assert.Equal("/followup", PortalFactory.PathOf(posted));
        }
        await InboxAsync(client);
        await InboxAsync(client);

        Assert.Contains("data-testid=\"metadata-removed\"", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"metadata-removed\"", reloaded, StringComparison.Ordinal);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        Assert.Equal(1, await db.Attachments.CountAsync(Ct));
        Assert.Equal(1, await db.CaseMessages.CountAsync(Ct));
        Assert.Equal(1, await db.RetaliationCheckIns.CountAsync(Ct));
    }

    [Fact]
    public async Task Visit_IsASessionCookie_AndAfterLeaveACopyOfItOpensNothing()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserlikeClient();
        var receipt = await SubmitAsync(client);
        using var open = await OpenAsync(client, receipt);
        var setCookie = Assert.Single(open.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ep.followup=", StringComparison.Ordinal));
        var copy = setCookie.Split(';')[0];

        Assert.DoesNotContain("expires", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("max-age", setCookie, StringComparison.OrdinalIgnoreCase);
        using (var leave = await Forms.PostAsync(client, "/followup", "leave", new Dictionary<string, string>())) { }

        using var other = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/followup");
        request.Headers.Add("Cookie", copy);
        using var replayed = await other.SendAsync(request, Ct);
        var html = await replayed.Content.ReadAsStringAsync(Ct);

        Assert.DoesNotContain("data-testid=\"inbox\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"receipt-input\"", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// Everything an anonymous reporter does is stored to the hour only (#15 design 4): the walk submits with a file,
    /// opens the inbox a month later, replies, adds evidence, answers the check-in and leaves, each at an odd minute,
    /// and then every column of every row tied to the case, in every table the database has, is read. Any value that
    /// is a time (ticks, or text that parses as one) must fall on the hour. Keys are skipped (they are random).
    /// </summary>
    [Fact]
    public async Task AnonymousReporter_EveryTimeStoredAboutTheirActs_InEveryTable_IsToTheHour()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 3, 19, 20, 41, TimeSpan.Zero).AddTicks(1234567));
        await using var factory = new PortalFactory { Time = time };
        factory.Settings["Deadlines:Alerts:Interval"] = "45.00:00:00";    // the committee's clock (alerts) is not the reporter's
        using var client = factory.CreateBrowserlikeClient();
        Assert.SkipWhen(factory.PostgreSql is not null, "reads the SQLite file; the PostgreSQL schema is the same model");
        using (await Forms.SubmitConcernAsync(client, Forms.Concern(), ("note.txt", Encoding.UTF8.GetBytes("bucket 7731")))) { }
        var receipt = await SubmitAsync(client);   // a second concern: its rows must pass too
        time.Advance(TimeSpan.FromDays(31) + TimeSpan.FromMinutes(17) + TimeSpan.FromTicks(7654321));
        using (await OpenAsync(client, receipt)) { }
        time.Advance(TimeSpan.FromMinutes(3));
        using (await Forms.PostAsync(client, "/followup", "reply", new Dictionary<string, string> { ["Reply.Text"] = "More detail." })) { }
        time.Advance(TimeSpan.FromMinutes(2));
        using (await UploadEvidenceAsync(client, "evidence-photo.jpg")) { }
        using (await Forms.PostAsync(client, "/followup", "checkin", new Dictionary<string, string> { ["CheckIn.Day"] = "30", ["CheckIn.Answer"] = "yes", ["CheckIn.Details"] = "moved off the team" })) { }
        using (await Forms.PostAsync(client, "/followup", "leave", new Dictionary<string, string>())) { }

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var cases = await db.Cases.AsNoTracking().Select(c => new { c.Id, c.Reference }).ToListAsync(Ct);
        Assert.Equal(2, cases.Count);
        Assert.True(await db.CaseMessages.AnyAsync(Ct) && await db.RetaliationCheckIns.AnyAsync(Ct) && await db.EndedVisits.AnyAsync(Ct));

        var checkedValues = 0;
        var finer = new List<string>();
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync(Ct);
        foreach (var table in await StringsAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__EFMigrationsHistory'"))
        {
            await using var read = connection.CreateCommand();
            read.CommandText = $"SELECT * FROM \"{table}\"";
            await using var rows = await read.ExecuteReaderAsync(Ct);
            while (await rows.ReadAsync(Ct))
            {
                var values = Enumerable.Range(0, rows.FieldCount).ToDictionary(rows.GetName, i => rows.IsDBNull(i) ? null : rows.GetValue(i));
                if (!TiedToTheCases(table, values, cases.Select(c => c.Id).ToList(), cases.Select(c => c.Reference).ToList()))
                    continue;
                foreach (var (column, value) in values)
                {
                    if (column == "Id" || column.EndsWith("Id", StringComparison.Ordinal) || AsTime(value) is not { } at)
                        continue;
                    checkedValues++;
                    if (at.UtcTicks % TimeSpan.TicksPerHour != 0)
                        finer.Add($"{table}.{column} = {at:O}");
                }
            }
        }
        Assert.True(checkedValues >= 15, $"only {checkedValues} times were found: the scan did not reach the reporter's rows");
        Assert.Empty(finer);
    }

    /// <summary>A row is the reporters' if it is one of the cases, points to one, names one in the audit, or is a visit they ended.</summary>
    private static bool TiedToTheCases(string table, Dictionary<string, object?> row, List<int> ids, List<string> references)
    {
        bool IsCase(object? v) => v is long n && ids.Contains((int)n);
        if (table == "Cases")
            return IsCase(row["Id"]);
        if (row.TryGetValue("CaseId", out var caseId))
            return IsCase(caseId);
        if (table is "AuditEntries" or "PendingAuditEntries")
            return row["Actor"] is "reporter" || references.Any(r => row["Subject"] is string s && s.Contains(r, StringComparison.Ordinal));
        return table is "EndedVisits" or "AttachmentContents";
    }

    /// <summary>Instants are stored as UTC ticks (EthicsDbContext); text that parses as a date counts too.</summary>
    private static DateTimeOffset? AsTime(object? value)
    {
        var from = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        var to = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        return value switch
        {
            long ticks when ticks >= from && ticks < to => new DateTimeOffset(ticks, TimeSpan.Zero),
            string text when text.Length >= 10 && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
            _ => null,
        };
    }

    private static async Task<List<string>> StringsAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var result = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
            result.Add(reader.GetString(0));
        return result;
    }
}
