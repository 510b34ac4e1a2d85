using System.Net;
using EthicsPortal.Tests.Shared;
using EthicsPortal.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace EthicsPortal.Web.Tests.Infrastructure;

/// <summary>
/// `keys migrate --chair` on PostgreSQL, on the database the last build before sealed cases made (restored from its dump):
/// the four pre-squash migrations are adopted, every case sealed, and afterwards neither the tables nor their files on
/// disk (dead row versions included: the tables are rewritten) hold anything the key ring opens.
/// </summary>
public sealed class LegacyUpgradeOnPostgreSqlTests
{
    private static readonly (string Table, string Column, string Kind)[] ContentColumns =
    [
        ("Cases", "ReportCiphertext", "Report"), ("Cases", "ReporterIdentityCiphertext", "Identity"), ("Cases", "ReporterSummaryCiphertext", "Message"),
        ("Cases", "RationaleCiphertext", "Message"), ("CaseMessages", "BodyCiphertext", "Message"), ("CaseNotes", "BodyCiphertext", "Message"),
        ("RetaliationCheckIns", "DetailsCiphertext", "Message"), ("Attachments", "FileNameCiphertext", "AttachmentName"),
        ("AttachmentContents", "Ciphertext", "AttachmentContent"),
    ];

    private static async Task<List<T>> ListAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            if (!reader.IsDBNull(0))
                rows.Add(reader.GetFieldValue<T>(0));
        }
        return rows;
    }

    private static async Task<List<byte[]>> ContentAsync(string connectionString, string table, string column)
        => (await ListAsync<byte[]>(connectionString, $"SELECT \"{column}\" FROM \"{table}\"")).Where(b => b.Length > 0).ToList();

    /// <summary>The content tables' files on disk (heap and TOAST), as the server holds them, dead row versions included.</summary>
    private static async Task<byte[]> TableFilesAsync(string connectionString)
    {
        var files = new List<byte>();
        foreach (var table in ContentColumns.Select(c => c.Table).Distinct())
        {
            foreach (var data in await ListAsync<byte[]>(connectionString,
                $"SELECT pg_read_binary_file(pg_relation_filepath(oid)) FROM pg_class WHERE oid = '\"{table}\"'::regclass OR oid = (SELECT reltoastrelid FROM pg_class WHERE oid = '\"{table}\"'::regclass)"))
                files.AddRange(data);
        }
        return [.. files];
    }

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

    [Fact]
    public async Task KeysMigrate_OnThePreSealingPostgreSqlDatabase_SealsEveryCase_AndNothingTheKeyRingOpensIsLeft()
    {
        await using var portal = await PortalFactory.FromLegacyPortalOnPostgreSqlAsync();
        var database = portal.PostgreSql!;
        var ring = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(portal.Folder, "keys")), b => b.SetApplicationName("EthicsPortal"));
        var old = new List<byte[]>();
        foreach (var (table, column, kind) in ContentColumns)
        {
            var blobs = await ContentAsync(database, table, column);
            Assert.Equal(blobs.Count, OpensUnderKeyRing(ring, kind, blobs));
            old.AddRange(blobs);
        }
        Assert.True(old.Count > 1000, $"the fixture holds {old.Count} protected values");
        Assert.Equal(4, (await ListAsync<string>(database, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"")).Count);

        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await KeysCommand.RunAsync(portal.KeysMigrateArgs("--chair", "chair@demo.local"), output, errors, new StringReader("Demo-Portal-Only-2026\n"));

        Assert.True(exit == 0, errors.ToString());
        Assert.Contains("Moved 522 case(s) onto sealed keys", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(5, (await ListAsync<string>(database, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"")).Count);
        foreach (var (table, column, kind) in ContentColumns)
            Assert.Equal(0, OpensUnderKeyRing(ring, kind, await ContentAsync(database, table, column)));
        // What COPY reads, and the tables' files themselves: no old ciphertext (VACUUM FULL rewrote them), no plaintext.
        var copied = await PostgresServer.DumpAsync(database, TestContext.Current.CancellationToken);
        var files = await TableFilesAsync(database);
        Assert.True(files.Length > 100_000, $"read {files.Length} bytes of table files");
        foreach (var raw in new[] { copied, files })
        {
            Assert.All(old, blob => Assert.True(raw.AsSpan().IndexOf(blob.AsSpan(0, Math.Min(blob.Length, 64))) < 0));
            Assert.True(raw.AsSpan().IndexOf("LEGACYPLAINTEXT"u8) < 0);
            Assert.True(raw.AsSpan().IndexOf("Legacy Reporter Name"u8) < 0);
            Assert.True(raw.AsSpan().IndexOf("Legacy Customer Examplia"u8) < 0);
            Assert.True(raw.AsSpan().IndexOf("legacy.reporter@example.org"u8) < 0);
            Assert.True(raw.AsSpan().IndexOf("legacy-evidence.txt"u8) < 0);
        }

        // The portal starts on it, and the receipt still opens its concern, waiting for the committee's next visit.
        using var reporter = portal.CreateBrowserlikeClient();
        using var opened = await Forms.PostAsync(reporter, "/followup", "receipt", new Dictionary<string, string> { ["ReceiptInput.Receipt"] = PortalFactory.LegacyPostgreSqlReceipt });
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        var inbox = await reporter.GetStringAsync("/followup", TestContext.Current.CancellationToken);
        Assert.Contains("data-testid=\"awaiting-committee\"", inbox, StringComparison.Ordinal);
        Assert.Contains(PortalFactory.LegacyPostgreSqlReference, inbox, StringComparison.Ordinal);
    }
}
