using System.Security.Cryptography;
using System.Text;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.FollowUp;
using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Tests.Cases;
using EthicsPortal.Tests.Shared;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Tests.Sealing;

/// <summary>
/// Promise 1 of #16: whoever holds the server (the database, the key ring, the audit head, the code) but no member's
/// own secret reads no report. A full flow runs with members signed in; then a fresh instance over the same folder,
/// as an attacker with a copy would start it, tries every way the code decrypts, and a raw scan looks for the words.
/// </summary>
public class ServerHolderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Secrets =
    [
        "Recordings of civilians", "bucket gov-intercepts", "note.txt", "Ministry of Interior", "riley@example.net", "Riley",
        "zq-alpha committee question", "zq-bravo reporter answer", "zq-charlie internal note", "zq-delta summary", "zq-echo rationale",
        "zq-foxtrot check-in",
    ];

    [Fact]
    public async Task WithTheDatabaseKeyRingAndAuditHead_ButNoMemberSecret_NothingOpens_AndNoPlaintextIsOnDisk()
    {
        await using var w = await Workspace.CreateAsync();
        // With a recovery quorum: every case is sealed to it too, and its codes went to the custodians, not the server.
        var codes = (await w.Get<RecoveryService>().SetUpAsync(w.Chair, 2, ["Custodian one", "Custodian two", "Custodian three"], Ct)).Value!;
        var anonymous = await w.ConcernAsync();
        var confidential = await w.ConcernAsync(confidential: true);
        var cases = w.Get<CaseService>();
        var followUp = w.Get<FollowUpService>();
        Assert.True((await cases.SendMessageToReporterAsync(anonymous, w.InQueue, "zq-alpha committee question", Ct)).Succeeded);
        Assert.True((await followUp.ReplyAsync(w.Visit(anonymous), "zq-bravo reporter answer", Ct)).Succeeded);
        Assert.True((await cases.AddNoteAsync(anonymous, w.InQueue, "zq-charlie internal note", Ct)).Succeeded);
        Assert.True((await followUp.AddEvidenceAsync(w.Visit(confidential), [new EthicsPortal.Core.Intake.Evidence.EvidenceFile("note.txt", "bucket gov-intercepts 2"u8.ToArray())], Ct)).Succeeded);
        w.Db.Time.Advance(TimeSpan.FromDays(30));
        Assert.True((await followUp.AnswerCheckInAsync(w.Visit(anonymous), 30, true, "zq-foxtrot check-in", Ct)).Succeeded);
        await w.SignInAsync(w.Chair);   // a month later, signed in again
        await w.SignInAsync(w.InQueue);
        Assert.True((await cases.AcknowledgeAsync(confidential, w.Chair, ct: Ct)).Succeeded);
        Assert.True((await cases.MoveAsync(confidential, w.Chair, CaseMove.StartTriage, "looking", ct: Ct)).Succeeded);
        Assert.True((await cases.CloseAsync(confidential, w.Chair, new CloseCase(CaseOutcome.Substantiated, [], "zq-echo rationale", "zq-delta summary", "done"), ct: Ct)).Succeeded);
        // The chair's passkey wraps her key under its PRF output, which only her authenticator can give again.
        var credential = RandomNumberGenerator.GetBytes(16);
        var prf = RandomNumberGenerator.GetBytes(32);
        await w.Get<MemberKeys>().EnrolPasskeyAsync(w.Chair, credential, prf, Ct);
        // The members who did it can read it (the test would prove nothing if the content were simply missing).
        Assert.Equal("zq-charlie internal note", Assert.Single((await w.Get<CaseQueries>().GetAsync(anonymous, w.InQueue, Ct)).Value!.Notes).Body);

        // The attacker starts the portal's own code on the copy: same database, key ring and audit head; nobody signed in.
        await using var attacker = w.Db.OpenAnotherInstance();
        var queries = attacker.GetRequiredService<CaseQueries>();
        foreach (var member in new[] { w.Chair, w.InQueue, w.Excluded, w.AccountTeam, w.OutsideQueue, w.Admin, w.Hr })
        {
            foreach (var id in new[] { anonymous, confidential })
            {
                var page = await queries.GetAsync(id, member, Ct);
                if (page.Succeeded)
                {
                    Assert.NotEqual(ContentAccess.Open, page.Value!.Access);
                    Assert.Equal("", page.Value.Report.Description);
                    Assert.All(page.Value.Messages, m => Assert.Equal("", m.Body));
                    Assert.All(page.Value.Notes, n => Assert.Equal("", n.Body));
                    Assert.All(page.Value.Attachments, a => Assert.Equal("", a.FileName));
                    Assert.True(string.IsNullOrEmpty(page.Value.SummaryForReporter));
                    Assert.True(string.IsNullOrEmpty(page.Value.Rationale));
                }
                await using var db = await w.Db.ContextAsync();
                foreach (var attachment in await db.Attachments.Where(a => a.CaseId == id).Select(a => a.Id).ToListAsync(Ct))
                    Assert.False((await queries.DownloadAsync(id, attachment, member, Ct)).Succeeded);
            }
            Assert.False((await attacker.GetRequiredService<CaseService>().RevealIdentityAsync(confidential, member, "attacker", Ct)).Succeeded);
            Assert.False((await attacker.GetRequiredService<CaseService>().AddNoteAsync(anonymous, member, "forged", Ct)).Succeeded);
        }
        var attackerKeys = attacker.GetRequiredService<MemberKeys>();
        Assert.Equal(UnlockOutcome.WrongSecret, await attackerKeys.UnlockWithPasskeyAsync(w.Chair, credential, RandomNumberGenerator.GetBytes(32), Ct));
        Assert.False(attackerKeys.IsUnlocked(w.Chair));
        Assert.Equal(ErrorKind.Validation, (await attacker.GetRequiredService<RecoveryService>().RecoverAsync(w.Chair, new Dictionary<int, string>(), null, Ct)).Error!.Kind);
        // Without the receipt, a reporter's way in is a guess of 256 bits.
        Assert.False((await attacker.GetRequiredService<FollowUpService>().GetInboxAsync(new ReporterVisit(anonymous, RandomNumberGenerator.GetBytes(32)), Ct)).Succeeded);

        // The key ring opens none of it under any purpose the portal has ever used for content.
        await using (var db = await w.Db.ContextAsync())
        {
            var provider = attacker.GetRequiredService<IDataProtectionProvider>();
            var ciphertexts = await db.Cases.Select(c => c.ReportCiphertext).ToListAsync(Ct);
            ciphertexts.AddRange(await db.CaseMessages.Select(m => m.BodyCiphertext).ToListAsync(Ct));
            ciphertexts.AddRange(await db.CaseKeys.Select(k => k.Sealed).ToListAsync(Ct));
            ciphertexts.AddRange(await db.QueueKeyCopies.Select(k => k.Sealed).ToListAsync(Ct));
            foreach (var purpose in new[] { "Report", "Identity", "AttachmentName", "AttachmentContent", "Message" })
            {
                var protector = provider.CreateProtector($"EthicsPortal.{purpose}.v1");
                Assert.All(ciphertexts, c => Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(c)));
            }
            // Every sealed copy is to a member's key, the reporter's receipt, recovery, or a queue's group key whose private
            // half is sealed to members' keys only: none opens with a key of the server's.
            Assert.All(await db.CaseKeys.ToListAsync(Ct), k => Assert.True(k.HolderId == CaseKey.Reporter || k.HolderId == CaseKey.Recovery
                || db.MemberKeys.Any(m => m.UserId == k.HolderId) || db.QueueKeys.Any(q => q.Id == k.HolderId)));
            Assert.Contains(await db.CaseKeys.Select(k => k.HolderId).ToListAsync(Ct), h => h.StartsWith(QueueKey.Prefix, StringComparison.Ordinal));
            Assert.All(await db.QueueKeyCopies.ToListAsync(Ct), c => Assert.True(db.MemberKeys.Any(m => m.UserId == c.UserId)));
        }

        // A raw scan of every file the attacker took (database, WAL, key ring, audit head) and of the database's own bytes.
        var raw = await RawAsync(w.Db);
        foreach (var secret in Secrets.Concat(codes.Select(c => c.Code)).Concat(codes.Select(c => c.Code.Replace("-", "", StringComparison.Ordinal))))
            Assert.True(raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"\"{secret}\" is readable on disk");
        Assert.True(raw.AsSpan().IndexOf(prf) < 0, "a passkey's PRF output is on disk");
    }

    private static async Task<byte[]> RawAsync(TestDatabase db)
    {
        using var all = new MemoryStream();
        if (db.PostgreSql is { } postgreSql)
            all.Write(await PostgresServer.DumpAsync(postgreSql, Ct));
        else
        {
            SqliteConnection.ClearAllPools();
            await using var c = new SqliteConnection(CoreServices.SqliteConnectionString(db.DatabasePath));
            await c.OpenAsync(Ct);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";   // the WAL stays: its frames are scanned as they are
            await cmd.ExecuteNonQueryAsync(Ct);
        }
        foreach (var file in Directory.GetFiles(db.Folder, "*", SearchOption.AllDirectories))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await stream.CopyToAsync(all, Ct);
        }
        return all.ToArray();
    }
}
