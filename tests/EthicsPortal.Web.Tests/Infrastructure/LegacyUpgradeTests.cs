using System.Net;
using System.Text;
using EthicsPortal.Tests.Shared;
using EthicsPortal.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests.Infrastructure;

/// <summary>
/// `keys migrate --chair` on a data folder made by the last build before sealed cases (tests/Shared/LegacyPortal): its
/// content was under the key ring; afterwards the key ring opens none of it, nothing of it is left on disk in plain
/// text or old ciphertext, and the reporter's inbox says their conversation opens again after the committee's next visit.
/// </summary>
public sealed class LegacyUpgradeTests
{
    private const string ChairPassword = "Demo-Portal-Only-2026";

    /// <summary>Every content column the old build encrypted under the key ring, with its Data Protection purpose.</summary>
    private static readonly (string Sql, string Kind)[] ContentColumns =
    [
        ("SELECT ReportCiphertext FROM Cases WHERE ErasedAt IS NULL", "Report"),
        ("SELECT ReporterIdentityCiphertext FROM Cases WHERE ReporterIdentityCiphertext IS NOT NULL AND ErasedAt IS NULL", "Identity"),
        ("SELECT ReporterSummaryCiphertext FROM Cases WHERE ReporterSummaryCiphertext IS NOT NULL AND ErasedAt IS NULL", "Message"),
        ("SELECT RationaleCiphertext FROM Cases WHERE RationaleCiphertext IS NOT NULL AND ErasedAt IS NULL", "Message"),
        ("SELECT BodyCiphertext FROM CaseMessages", "Message"),
        ("SELECT BodyCiphertext FROM CaseNotes", "Message"),
        ("SELECT DetailsCiphertext FROM RetaliationCheckIns WHERE DetailsCiphertext IS NOT NULL", "Message"),
        ("SELECT FileNameCiphertext FROM Attachments", "AttachmentName"),
        ("SELECT Ciphertext FROM AttachmentContents", "AttachmentContent"),
    ];

    private static async Task<List<byte[]>> BlobsAsync(string databasePath, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var blobs = new List<byte[]>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            if (!reader.IsDBNull(0) && reader[0] is byte[] { Length: > 0 } blob)
                blobs.Add(blob);
        }
        return blobs;
    }

    private static async Task<long> ScalarAsync(string databasePath, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The attacker's view: the folder's key ring, opened as Data Protection opens it, with the old purposes.</summary>
    private static IDataProtectionProvider KeyRingOf(PortalFactory portal)
        => DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(portal.Folder, "keys")), b => b.SetApplicationName("EthicsPortal"));

    private static int OpensUnderKeyRing(IDataProtectionProvider ring, string kind, IEnumerable<byte[]> blobs)
    {
        var protector = ring.CreateProtector($"EthicsPortal.{kind}.v1");
        var opened = 0;
        foreach (var blob in blobs)
        {
            try
            {
                protector.Unprotect(blob);
                opened++;
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
            }
        }
        return opened;
    }

    private static byte[] RawFiles(string databasePath)
    {
        SqliteConnection.ClearAllPools();
        var bytes = new List<byte>();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            if (File.Exists(databasePath + suffix))
                bytes.AddRange(File.ReadAllBytes(databasePath + suffix));
        }
        return [.. bytes];
    }

    [Fact]
    public async Task TheOldFolder_IsRefusedByThePortal_AndByKeysMigrateWithoutTheChairsPassword_AndStaysAsItWas()
    {
        await using var portal = PortalFactory.FromLegacyPortal();
        var before = RawFiles(portal.DatabasePath);

        // The portal itself names the command instead of starting on content it could show nobody.
        var refused = Assert.ThrowsAny<Exception>(() => portal.CreateClient());
        Assert.Contains("keys migrate --chair", refused.ToString(), StringComparison.Ordinal);

        using var output = new StringWriter();
        using var errors = new StringWriter();
        Assert.Equal(1, await KeysCommand.RunAsync(portal.KeysMigrateArgs(), output, errors));
        Assert.Contains("keys migrate --chair", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await KeysCommand.RunAsync(portal.KeysMigrateArgs("--chair", "chair@demo.local"), output, errors, new StringReader("not the password\n")));
        Assert.Contains("Nothing was changed", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await KeysCommand.RunAsync(portal.KeysMigrateArgs("--chair", "handler@demo.local"), output, errors, new StringReader(ChairPassword + "\n")));
        Assert.Contains("handler@demo.local is not a chair", errors.ToString(), StringComparison.Ordinal);

        Assert.Equal(14, await ScalarAsync(portal.DatabasePath, "SELECT COUNT(*) FROM __EFMigrationsHistory"));
        Assert.Equal(before, RawFiles(portal.DatabasePath));
    }

    [Fact]
    public async Task KeysMigrate_WithTheChairsPassword_SealsEveryCase_AndTheKeyRingOpensNoContentAfterwards()
    {
        await using var portal = PortalFactory.FromLegacyPortal();
        var ring = KeyRingOf(portal);
        var old = new List<byte[]>();
        foreach (var (sql, kind) in ContentColumns)
        {
            var blobs = await BlobsAsync(portal.DatabasePath, sql);
            // Without the upgrade the key ring opens every one of them: what this test proves is undone.
            Assert.Equal(blobs.Count, OpensUnderKeyRing(ring, kind, blobs));
            old.AddRange(blobs);
        }
        Assert.True(old.Count > 1000, $"the fixture holds {old.Count} protected values");
        var raw = RawFiles(portal.DatabasePath);
        Assert.True(raw.AsSpan().IndexOf("LEGACYPLAINTEXT"u8) < 0);   // protected in the old build too: only the key ring opens it

        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await KeysCommand.RunAsync(portal.KeysMigrateArgs("--chair", "chair@demo.local"), output, errors, new StringReader(ChairPassword + "\n"));

        Assert.True(exit == 0, errors.ToString());
        var text = output.ToString();
        Assert.Contains("Moved 522 case(s) onto sealed keys", text, StringComparison.Ordinal);
        Assert.Contains("522 case(s); 522 held by a committee member; 1 confirmed member key(s).", text, StringComparison.Ordinal);
        Assert.Equal(["20261202050142_Initial", "20261202103500_SealedCases", "20261203071253_RecoveryQuorum", "20261203120111_PasskeyWraps", "20261203141911_QueueKeys"],
            (await BlobsAsync(portal.DatabasePath, "SELECT CAST(MigrationId AS BLOB) FROM __EFMigrationsHistory ORDER BY MigrationId")).Select(Encoding.UTF8.GetString));

        // The key ring opens nothing now, column by column ...
        foreach (var (sql, kind) in ContentColumns)
            Assert.Equal(0, OpensUnderKeyRing(ring, kind, await BlobsAsync(portal.DatabasePath, sql)));
        // ... and no old ciphertext survives anywhere in the files (free pages, WAL), nor any plaintext.
        raw = RawFiles(portal.DatabasePath);
        Assert.All(old, blob => Assert.True(raw.AsSpan().IndexOf(blob.AsSpan(0, Math.Min(blob.Length, 64))) < 0));
        Assert.True(raw.AsSpan().IndexOf("LEGACYPLAINTEXT"u8) < 0);
        Assert.True(raw.AsSpan().IndexOf("Legacy Reporter Name"u8) < 0);
        Assert.True(raw.AsSpan().IndexOf("Legacy Customer Examplia"u8) < 0);
        Assert.True(raw.AsSpan().IndexOf("legacy.reporter@example.org"u8) < 0);
        Assert.True(raw.AsSpan().IndexOf("legacy-evidence.txt"u8) < 0);
        // Every case not erased has its own copies: the chair's (content and, when confidential, identity); no reporter's yet.
        Assert.Equal(522, await ScalarAsync(portal.DatabasePath, "SELECT COUNT(DISTINCT CaseId) FROM CaseKeys WHERE Part = 1"));
        Assert.Equal(0, await ScalarAsync(portal.DatabasePath, "SELECT COUNT(*) FROM CaseKeys WHERE HolderId = 'reporter'"));
        Assert.Equal(1, await ScalarAsync(portal.DatabasePath,
            "SELECT COUNT(*) FROM MemberKeys k JOIN AspNetUsers u ON u.Id = k.UserId WHERE u.Email = 'chair@demo.local' AND k.OwnSecret = 1 AND k.ConfirmedAt IS NOT NULL"));

        // A second run changes nothing.
        using var again = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(portal.KeysMigrateArgs("--chair", "chair@demo.local"), again, errors, new StringReader(ChairPassword + "\n")));
        Assert.StartsWith("Nothing to migrate", again.ToString(), StringComparison.Ordinal);

        // The portal starts on it; the reporter's receipt still opens their concern, whose conversation waits for the committee.
        using var reporter = portal.CreateBrowserlikeClient();
        using var opened = await Forms.PostAsync(reporter, "/followup", "receipt", new Dictionary<string, string> { ["ReceiptInput.Receipt"] = PortalFactory.LegacyReceipt });
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        var inbox = await reporter.GetStringAsync("/followup", TestContext.Current.CancellationToken);
        Assert.Contains("data-testid=\"awaiting-committee\"", inbox, StringComparison.Ordinal);
        Assert.Contains(PortalFactory.LegacyReference, inbox, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"reply-input\"", inbox, StringComparison.Ordinal);
        // The key the receipt derives is now sealed to the chair who holds the case, and they were told.
        Assert.Equal(1, await ScalarAsync(portal.DatabasePath, $"SELECT COUNT(*) FROM CaseKeys k JOIN Cases c ON c.Id = k.CaseId WHERE c.Reference = '{PortalFactory.LegacyReference}' AND k.Part = 3"));
        Assert.NotEqual(0, await ScalarAsync(portal.DatabasePath, $"SELECT COUNT(*) FROM Notifications WHERE Text LIKE '%{PortalFactory.LegacyReference} came back%'"));
    }

    [Fact]
    public async Task ACaseItsReporterKeptFromTheOnlyMemberWithAKey_StaysAsItWas_AndIsNamed_WhileTheRestMove()
    {
        await using var portal = PortalFactory.FromLegacyPortal();
        await ScalarAsync(portal.DatabasePath,
            $"INSERT INTO CaseExclusions (CaseId, UserId, Source, At) SELECT c.Id, u.Id, 'Reporter', 0 FROM Cases c, AspNetUsers u WHERE c.Reference = '{PortalFactory.LegacyReference}' AND u.Email = 'chair@demo.local'; SELECT 1");
        var before = await BlobsAsync(portal.DatabasePath, $"SELECT ReportCiphertext FROM Cases WHERE Reference = '{PortalFactory.LegacyReference}'");

        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await KeysCommand.RunAsync(portal.KeysMigrateArgs("--chair", "chair@demo.local"), output, errors, new StringReader(ChairPassword + "\n"));

        Assert.True(exit == 3, $"{exit}: {errors}");
        Assert.Contains("Moved 521 case(s) onto sealed keys", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"1 case(s) stay under the server's key ring", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains(PortalFactory.LegacyReference, errors.ToString(), StringComparison.Ordinal);
        // Not re-encrypted under a key nobody holds: the old ciphertext stands, and no copy exists.
        Assert.Equal(before, await BlobsAsync(portal.DatabasePath, $"SELECT ReportCiphertext FROM Cases WHERE Reference = '{PortalFactory.LegacyReference}'"));
        Assert.Equal(0, await ScalarAsync(portal.DatabasePath, $"SELECT COUNT(*) FROM CaseKeys k JOIN Cases c ON c.Id = k.CaseId WHERE c.Reference = '{PortalFactory.LegacyReference}'"));
        // The upgrade finished what it could: the portal starts, and the command says what is left on the next run.
        using (var client = portal.CreateClient())
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/followup", TestContext.Current.CancellationToken)).StatusCode);
        using var again = new StringWriter();
        Assert.Equal(1, await KeysCommand.RunAsync(portal.KeysMigrateArgs(), again, errors));
        Assert.Contains("1 case(s) are still under the server's key ring", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUpgradeThatStoppedPartWay_KeepsThePortalFromStarting_UntilKeysMigrateRunsAgain()
    {
        await using var portal = PortalFactory.FromLegacyPortal();
        using var output = new StringWriter();
        using var errors = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(portal.KeysMigrateArgs("--chair", "chair@demo.local"), output, errors, new StringReader(ChairPassword + "\n")));
        // As if the command had stopped after moving cases, before it compacted the files: its lease is still there.
        await ScalarAsync(portal.DatabasePath, "INSERT INTO Leases (Name, Holder, ExpiresAt) VALUES ('keys-migrate', 'keys migrate', 0); SELECT 1");

        var refused = Assert.ThrowsAny<Exception>(() => portal.CreateClient());
        Assert.Contains("stopped part way", refused.ToString(), StringComparison.Ordinal);

        using var again = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(portal.KeysMigrateArgs(), again, errors));
        Assert.Equal(0, await ScalarAsync(portal.DatabasePath, "SELECT COUNT(*) FROM Leases WHERE Name = 'keys-migrate'"));
        await using var restarted = portal.AnotherInstance();   // a new start on the same folder
        using var client = restarted.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/followup", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task AConfidentialCaseWithNoIdentityCustodianYet_StaysAsItWas_EvenOnceAHandlerCouldHoldItsContent()
    {
        await using var portal = PortalFactory.FromLegacyPortal();
        await ScalarAsync(portal.DatabasePath,
            $"INSERT INTO CaseExclusions (CaseId, UserId, Source, At) SELECT c.Id, u.Id, 'Reporter', 0 FROM Cases c, AspNetUsers u WHERE c.Reference = '{PortalFactory.LegacyReference}' AND u.Email = 'chair@demo.local'; SELECT 1");
        using var output = new StringWriter();
        using var errors = new StringWriter();
        Assert.Equal(3, await KeysCommand.RunAsync(portal.KeysMigrateArgs("--chair", "chair@demo.local"), output, errors, new StringReader(ChairPassword + "\n")));

        // The case's queue handler signs in (their key is made) and the chair confirms them: they may hold its content now,
        // but nobody may hold the reporter's identity (the one chair is excluded, no recovery quorum yet).
        await using (var instance = portal.AnotherInstance())
        {
            using (instance.CreateClient()) { }
            await using var scope = instance.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EthicsPortal.Core.Data.EthicsDbContext>();
            var chair = await db.Users.Where(u => u.Email == "chair@demo.local").Select(u => u.Id).SingleAsync(TestContext.Current.CancellationToken);
            var handler = await db.Users.Where(u => u.Email == "handler@demo.local").Select(u => u.Id).SingleAsync(TestContext.Current.CancellationToken);
            var keys = scope.ServiceProvider.GetRequiredService<EthicsPortal.Core.Sealing.MemberKeys>();
            Assert.Equal(EthicsPortal.Core.Sealing.UnlockOutcome.Unlocked, await keys.UnlockAsync(handler, ChairPassword, ct: TestContext.Current.CancellationToken));
            Assert.True((await keys.ConfirmAsync(db, chair, handler, TestContext.Current.CancellationToken)).Succeeded);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        var identity = await BlobsAsync(portal.DatabasePath, $"SELECT ReporterIdentityCiphertext FROM Cases WHERE Reference = '{PortalFactory.LegacyReference}'");

        using var again = new StringWriter();
        Assert.Equal(3, await KeysCommand.RunAsync(portal.KeysMigrateArgs("--chair", "chair@demo.local"), again, errors, new StringReader(ChairPassword + "\n")));

        // Not re-encrypted under an identity key nobody would hold: the identity stays readable for the chair-to-be.
        Assert.Equal(identity, await BlobsAsync(portal.DatabasePath, $"SELECT ReporterIdentityCiphertext FROM Cases WHERE Reference = '{PortalFactory.LegacyReference}'"));
        Assert.Equal(1, OpensUnderKeyRing(KeyRingOf(portal), "Identity", identity));
        Assert.Equal(0, await ScalarAsync(portal.DatabasePath, $"SELECT COUNT(*) FROM CaseKeys k JOIN Cases c ON c.Id = k.CaseId WHERE c.Reference = '{PortalFactory.LegacyReference}'"));
    }
}
