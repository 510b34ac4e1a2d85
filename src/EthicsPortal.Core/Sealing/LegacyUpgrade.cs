using System.Security.Cryptography;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EthicsPortal.Core.Sealing;

/// <summary>Where a database stands before `keys migrate`.</summary>
public enum LegacyState
{
    /// <summary>Made by this build or an earlier sealed one: nothing to move.</summary>
    Sealed,
    /// <summary>Made before sealed cases: its content is under the server's Data Protection key ring.</summary>
    KeyRingContent,
    /// <summary>A schema history this build does not know: refused unchanged.</summary>
    Unknown,
}

/// <summary>What moving one case did.</summary>
public enum UpgradeOutcome { Moved, SealedAlready, NoHolderYet, Unreadable }

/// <summary>
/// `keys migrate` for a portal from before sealed cases (#16's upgrade). Such a portal kept every report, identity,
/// file, message and note under the server's Data Protection key ring (purposes <c>EthicsPortal.{kind}.v1</c>). The
/// upgrade gives each case its own keys, re-encrypts every field under them, overwrites the old ciphertext and seals the
/// keys to the members who may see the case (the chair who runs it, with their password, at least) and to recovery.
/// Afterwards the key ring opens no content. The reporter's copy cannot be made here (the receipt was only ever stored as
/// a keyed hash); it is written after the reporter's next visit (<see cref="CaseSealing.AwaitReporterCopyAsync"/>).
/// </summary>
public sealed class LegacyUpgrade(
    IDbContextFactory<EthicsDbContext> contexts,
    IDataProtectionProvider dataProtection,
    IPasswordHasher<StaffUser> hasher,
    MemberKeys memberKeys,
    CaseSealing sealing,
    AuditLog audit)
{
    /// <summary>
    /// The schema history of the last build before the migrations were squashed (commit ac381a9), per provider. Its schema
    /// is today's Initial: the squash was generated from that build's model.
    /// </summary>
    internal static readonly string[] SqliteHistory =
    [
        "20261128151018_Foundation", "20261128152914_Intake", "20261128153642_FollowUp", "20261128154857_Workspace",
        "20261128162303_Retention", "20261128174313_Passkeys", "20261128180330_InsightsIndexes", "20261128181128_EmailDigest",
        "20261128184242_LeasesAndQueueIndexes", "20261128184824_OverdueIndexes", "20261128211323_StandingActions",
        "20261202013254_Screening", "20261202023937_EndedVisits", "20261202042246_AuditBatchesAndCaseOrder",
    ];

    internal static readonly string[] PostgreSqlHistory =
        ["20261128211348_Initial", "20261202013323_Screening", "20261202024010_EndedVisits", "20261202042317_AuditBatchesAndCaseOrder"];

    /// <summary>The command that moves such a database, as the refusals name it.</summary>
    public const string Command = "dotnet run --project src/EthicsPortal.Web -- keys migrate --chair <a chair's email>";

    /// <summary>Whether <paramref name="applied"/> is the pre-squash history, which this build adopts as its Initial.</summary>
    public static bool IsPreSquash(IReadOnlyCollection<string> applied)
        => applied.Count > 0 && (applied.ToHashSet().SetEquals(SqliteHistory) || applied.ToHashSet().SetEquals(PostgreSqlHistory));

    /// <summary>What a database made with <paramref name="applied"/> holds, before any migration runs.</summary>
    public static LegacyState StateOf(EthicsDbContext db, IReadOnlyCollection<string> applied)
    {
        if (IsPreSquash(applied))
            return LegacyState.KeyRingContent;
        var known = db.Database.GetMigrations().ToList();
        if (applied.Any(m => !known.Contains(m)))
            return LegacyState.Unknown;
        // Every migration up to SealedCases was made by a build that kept content under the key ring.
        return applied.Count > 0 && !applied.Any(m => m.EndsWith("_SealedCases", StringComparison.Ordinal)) ? LegacyState.KeyRingContent : LegacyState.Sealed;
    }

    /// <summary>Asks the database for its history without logging a failed command on a new PostgreSQL database.</summary>
    public static async Task<List<string>> AppliedAsync(EthicsDbContext db, CancellationToken ct)
        => await db.GetService<IHistoryRepository>().ExistsAsync(ct) ? (await db.Database.GetAppliedMigrationsAsync(ct)).ToList() : [];

    /// <summary>Replaces the pre-squash history with today's Initial (the same schema), in one transaction.</summary>
    public static async Task AdoptSquashedHistoryAsync(EthicsDbContext db, CancellationToken ct)
    {
        var initial = db.Database.GetMigrations().First();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"""UPDATE "__EFMigrationsHistory" SET "MigrationId" = {initial} WHERE "MigrationId" = (SELECT MAX("MigrationId") FROM "__EFMigrationsHistory")""", ct);
        await db.Database.ExecuteSqlAsync($"""DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" <> {initial}""", ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Held while cases are being moved, and released once the files are compacted: a portal refuses to start on a
    /// database whose upgrade stopped part way (its remaining cases would show to nobody), and says to run it again.
    /// </summary>
    public const string LeaseName = "keys-migrate";

    public static Task<bool> UnfinishedAsync(EthicsDbContext db, CancellationToken ct) => db.Leases.AnyAsync(l => l.Name == LeaseName, ct);

    public static async Task BeginAsync(EthicsDbContext db, CancellationToken ct)
    {
        if (await UnfinishedAsync(db, ct))
            return;
        db.Leases.Add(new Lease(LeaseName, "keys migrate", DateTimeOffset.MaxValue));
        await db.SaveChangesAsync(ct);
    }

    public static Task EndAsync(EthicsDbContext db, CancellationToken ct) => db.Leases.Where(l => l.Name == LeaseName).ExecuteDeleteAsync(ct);

    /// <summary>The cases still under the key ring: not erased, and without any sealed copy (a case is sealed in one transaction).</summary>
    public static Task<List<int>> UnsealedCasesAsync(EthicsDbContext db, CancellationToken ct)
        => db.Cases.Where(c => c.ErasedAt == null && !db.CaseKeys.Any(k => k.CaseId == c.Id)).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);

    /// <summary>
    /// Checks that <paramref name="email"/> is a chair and <paramref name="password"/> theirs, and gives them a key pair
    /// wrapped under it, confirmed by the upgrade (the chair typed their own password at the terminal). An existing key
    /// must open with it. Returns the chair's user id.
    /// </summary>
    public async Task<Result<string>> PrepareChairAsync(string email, string password, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var normalized = email.Trim().ToUpperInvariant();
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
        var chairs = await CaseAccess.UsersInRoleAsync(db, Roles.Chair, ct);
        if (user is null || !chairs.Contains(user.Id))
            return Error.Validation($"{email} is not a chair's account here. Name an account with the Chair role.");
        if (user.PasswordHash is null || hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            await audit.AppendAsync(new AuditRecord(AuditActors.System, "keys.migrate-refused", $"user:{user.Id}", "wrong password"), ct);
            return Error.Validation("That is not the chair's password. Nothing was changed.");
        }
        if (await db.UserClaims.AnyAsync(c => c.UserId == user.Id && c.ClaimType == StaffClaims.MustChangePassword, ct))
            return Error.Validation($"{email} still has a password an administrator typed; a key under it would receive no case. Name a chair who chose their own.");
        var key = await db.MemberKeys.FirstOrDefaultAsync(k => k.UserId == user.Id, ct);
        if (key is null)
        {
            key = memberKeys.Create(db, user.Id, password, ownSecret: true);
            MemberKeys.ConfirmForSetup(key, DateTimeOffset.UtcNow);
            await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.System, "keys.created", $"user:{user.Id}", "keys migrate")], ct);
        }
        else if (key.PasswordWrap is null || SecretWrap.Unwrap(key.PasswordWrap, password, MemberKeys.PasswordContext(user.Id)) is not { } raw)
            return Error.Validation($"{email}'s key does not open with that password. Nothing was changed.");
        else
        {
            CryptographicOperations.ZeroMemory(raw);
            if (key.ConfirmedAt is null || !key.OwnSecret)
                return Error.Validation($"{email}'s key is not confirmed as their own yet. Name a confirmed chair.");
        }
        return user.Id;
    }

    /// <summary>
    /// Moves one case from the key ring onto keys of its own, in one transaction: every field re-encrypted (the old
    /// ciphertext overwritten in place), its copies sealed, an audit record.
    /// </summary>
    public async Task<UpgradeOutcome> SealCaseAsync(int caseId, string chairId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.CaseKeys.AnyAsync(k => k.CaseId == caseId, ct))
            return UpgradeOutcome.SealedAlready;
        var c = await db.Cases.AsSplitQuery().Include(x => x.Messages).Include(x => x.Notes).Include(x => x.CheckIns)
            .Include(x => x.Attachments).ThenInclude(a => a.Content).FirstAsync(x => x.Id == caseId, ct);
        var content = new CaseCipher(c.Reference, Seal.NewContentKey());
        var identity = c.ReporterIdentityCiphertext is null ? null : new CaseCipher(c.Reference, Seal.NewContentKey());
        try
        {
            return await MoveAsync(db, c, content, identity, chairId, ct);
        }
        catch (CryptographicException)
        {
            // A value the key ring does not open (a key missing from the ring, a damaged row, or a case moved before whose
            // copies were all deleted since): nothing is saved for it, and the command names it.
            content.Forget();
            identity?.Forget();
            return UpgradeOutcome.Unreadable;
        }
    }

    private async Task<UpgradeOutcome> MoveAsync(EthicsDbContext db, Case c, CaseCipher content, CaseCipher? identity, string chairId, CancellationToken ct)
    {
        var caseId = c.Id;

        void Move<T>(T entity, string property, string kind, SealedField field, CaseCipher cipher) where T : class
        {
            var column = db.Entry(entity).Property(property);
            if (column.CurrentValue is not byte[] { Length: > 0 } old)
                return;
            var plaintext = dataProtection.CreateProtector($"EthicsPortal.{kind}.v1").Unprotect(old);
            try
            {
                column.CurrentValue = cipher.Encrypt(field, plaintext);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }

        Move(c, nameof(Case.ReportCiphertext), "Report", SealedField.Report, content);
        if (identity is not null)
            Move(c, nameof(Case.ReporterIdentityCiphertext), "Identity", SealedField.Identity, identity);
        Move(c, nameof(Case.ReporterSummaryCiphertext), "Message", SealedField.Message, content);
        Move(c, nameof(Case.RationaleCiphertext), "Message", SealedField.Message, content);
        foreach (var m in c.Messages)
            Move(m, nameof(CaseMessage.BodyCiphertext), "Message", SealedField.Message, content);
        foreach (var n in c.Notes)
            Move(n, nameof(CaseNote.BodyCiphertext), "Message", SealedField.Message, content);
        foreach (var checkIn in c.CheckIns)
            Move(checkIn, nameof(RetaliationCheckIn.DetailsCiphertext), "Message", SealedField.Message, content);
        foreach (var a in c.Attachments)
        {
            Move(a, nameof(Attachment.FileNameCiphertext), "AttachmentName", SealedField.AttachmentName, content);
            Move(a.Content, nameof(AttachmentContent.Ciphertext), "AttachmentContent", SealedField.Attachment, content);
        }
        var copies = await sealing.ForUpgradeAsync(db, caseId, content, identity, AuditActors.Staff(chairId), ct);
        // Re-encrypted under a key no member holds, the case would be lost (the reporter excluded every member who has a
        // key yet): it stays as it is, and a later run moves it.
        if (!copies.Any(k => k.Part == CaseKeyPart.Content && k.HolderId != CaseKey.Recovery)
            || (identity is not null && !copies.Any(k => k.Part == CaseKeyPart.Identity && k.HolderId != CaseKey.Recovery)))
        {
            content.Forget();
            identity?.Forget();
            return UpgradeOutcome.NoHolderYet;
        }
        db.CaseKeys.AddRange(copies);
        try
        {
            await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(chairId), "case.sealed-on-upgrade", $"case:{c.Reference}")], ct);
        }
        finally
        {
            content.Forget();
            identity?.Forget();
        }
        return UpgradeOutcome.Moved;
    }

    /// <summary>Empties SQLite's WAL file; another connection reading (a portal left running) would keep old pages in it.</summary>
    private static async Task CheckpointAsync(EthicsDbContext db, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
            await db.Database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (await reader.ReadAsync(ct) && reader.GetInt64(0) != 0)
            throw new InvalidOperationException("Another connection holds the database, so its write-ahead log could not be emptied of old ciphertext. " +
                "Stop every portal on this data folder and run keys migrate again.");
    }

    /// <summary>
    /// After the last case: the old ciphertext must not survive in free pages, the WAL or dead rows, where the key ring
    /// would still open it. SQLite rebuilds the file (VACUUM) and empties the WAL; PostgreSQL rewrites the tables (VACUUM FULL).
    /// </summary>
    public async Task CompactAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        if (db.Database.IsSqlite())
        {
            await CheckpointAsync(db, ct);
            await db.Database.ExecuteSqlRawAsync("VACUUM;", ct);
            await CheckpointAsync(db, ct);
            return;
        }
        var tables = new[] { typeof(Case), typeof(CaseMessage), typeof(CaseNote), typeof(RetaliationCheckIn), typeof(Attachment), typeof(AttachmentContent) }
            .Select(t => db.Model.FindEntityType(t)!.GetTableName()!);
        // Table names from the model, not input.
        var sql = "VACUUM FULL " + string.Join(", ", tables.Select(t => '"' + t + '"')) + ";";
        await db.Database.ExecuteSqlRawAsync(sql, ct);
    }
}
