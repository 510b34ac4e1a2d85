using EthicsPortal.Core;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// `keys migrate`: brings a data folder onto sealed cases (#16). On a database from a build before sealed cases (whose
/// content is under the server's Data Protection key ring), `--chair &lt;email&gt;` names the chair whose password is
/// typed at the terminal: the history is adopted, the schema migrated, every case re-encrypted under keys of its own
/// sealed to that chair (and every other member who may see it and holds a confirmed key), the old ciphertext
/// overwritten and the files compacted (<see cref="LegacyUpgrade"/>). Run again, or on a sealed portal, it changes
/// nothing and reports what is sealed. An unknown history is refused unchanged.
/// </summary>
public static class KeysCommand
{
    /// <summary>Exit codes: 0 done, 1 refused (nothing changed), 2 usage, 3 done except cases no member may receive yet.</summary>
    public const string Usage = "Usage: keys migrate [--chair <email>]   (the chair's password is read from the terminal, or from standard input)";

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? errors = null, TextReader? input = null)
    {
        output ??= Console.Out;
        errors ??= Console.Error;
        if (args is not ["migrate", ..])
        {
            await errors.WriteLineAsync(Usage);
            return 2;
        }
        var rest = args[1..].ToList();
        string? chairEmail = null;
        if (rest.IndexOf("--chair") is var at and >= 0)
        {
            if (at + 1 >= rest.Count || rest[at + 1].StartsWith("--", StringComparison.Ordinal))
            {
                await errors.WriteLineAsync(Usage);
                return 2;
            }
            chairEmail = rest[at + 1];
            rest.RemoveRange(at, 2);
        }
        var builder = Host.CreateApplicationBuilder([.. rest]);
        var root = PortalPaths.FindRoot();
        PortalPaths.AddRootSettings(builder.Configuration, root, builder.Environment.EnvironmentName);
        builder.Logging.ClearProviders();
        builder.Services.AddEthicsCore(builder.Configuration, root);
        using var host = builder.Build();
        var contexts = host.Services.GetRequiredService<IDbContextFactory<EthicsDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();

        var applied = await LegacyUpgrade.AppliedAsync(db, default);
        var state = LegacyUpgrade.StateOf(db, applied);
        if (state == LegacyState.Unknown)
        {
            var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
            await errors.WriteLineAsync(
                $"This database was made by a build this one does not know (schema history: {string.Join(", ", applied.Where(m => !known.Contains(m)))}). Nothing was changed. " +
                "Start from a new data folder, or upgrade it first with the build it came from.");
            return 1;
        }
        if (state == LegacyState.KeyRingContent)
        {
            if (chairEmail is null)
            {
                await errors.WriteLineAsync("This database was made before sealed cases: its reports are under the server's key ring. Nothing was changed. " +
                    "A chair moves it onto sealed keys: keys migrate --chair <their email>, and they type their password.");
                return 1;
            }
            // Rewrites history and schema only once the chair is known: refused here, nothing changed.
            if (!await ChairTypesPasswordAsync(chairEmail, host.Services, db, applied, output, errors, input))
                return 1;
        }
        await db.Database.MigrateAsync();

        var legacy = await LegacyUpgrade.UnsealedCasesAsync(db, default);
        var partly = false;
        if (legacy.Count > 0 || await LegacyUpgrade.UnfinishedAsync(db, default))
        {
            // An upgrade that stopped part way: the chair types their password again, so nothing is sealed to a key that does not open.
            if (legacy.Count > 0 && state != LegacyState.KeyRingContent)
            {
                if (chairEmail is null)
                {
                    await errors.WriteLineAsync($"{legacy.Count} case(s) are still under the server's key ring (an upgrade that stopped part way). " +
                        "Run keys migrate --chair <their email> again; the cases moved already are kept.");
                    return 1;
                }
                if (!await ChairTypesPasswordAsync(chairEmail, host.Services, db, applied, output, errors, input))
                    return 1;
            }
            await using var scope = host.Services.CreateAsyncScope();
            var upgrade = scope.ServiceProvider.GetRequiredService<LegacyUpgrade>();
            var chairId = legacy.Count > 0 ? await ChairIdAsync(db, chairEmail!) : "";
            await LegacyUpgrade.BeginAsync(db, default);
            var moved = 0;
            var stuck = new List<int>();
            var unreadable = new List<int>();
            foreach (var caseId in legacy)
            {
                var outcome = await upgrade.SealCaseAsync(caseId, chairId, default);
                if (outcome == UpgradeOutcome.Moved && ++moved % 100 == 0)
                    await output.WriteLineAsync($"{moved} of {legacy.Count} case(s) moved…");
                else if (outcome == UpgradeOutcome.NoHolderYet)
                    stuck.Add(caseId);
                else if (outcome == UpgradeOutcome.Unreadable)
                    unreadable.Add(caseId);
            }
            await upgrade.CompactAsync(default);
            await LegacyUpgrade.EndAsync(db, default);
            await output.WriteLineAsync(stuck.Count + unreadable.Count == 0
                ? $"Moved {moved} case(s) onto sealed keys; the old ciphertext is overwritten and the key ring opens no report content. " +
                  "Each reporter can read the conversation again after their next visit, once a committee member has opened their case."
                : $"Moved {moved} case(s) onto sealed keys; the old ciphertext of those is overwritten. Each reporter can read the conversation again after their next visit, once a committee member has opened their case.");
            if (stuck.Count > 0)
            {
                var references = await db.Cases.Where(c => stuck.Contains(c.Id)).Select(c => c.Reference).ToListAsync();
                await errors.WriteLineAsync($"{stuck.Count} case(s) stay under the server's key ring, because no member who may see them has a confirmed key yet " +
                    $"(their reporters excluded the chair): {string.Join(", ", references)}. Once such a member has signed in and been confirmed on Access, run keys migrate --chair <their email> again.");
                partly = true;
            }
            if (unreadable.Count > 0)
            {
                var references = await db.Cases.Where(c => unreadable.Contains(c.Id)).Select(c => c.Reference).ToListAsync();
                await errors.WriteLineAsync($"{unreadable.Count} case(s) do not open under the key ring and were left as they are (a key missing from the ring, " +
                    $"a damaged row, or a case moved earlier whose keys were all deleted since): {string.Join(", ", references)}.");
                partly = true;
            }
            await output.WriteLineAsync("Other members make their keys at their next sign-in; the chair confirms them on Access, and they receive the cases they may see from the chair.");
        }
        else
            await output.WriteLineAsync($"Nothing to migrate: every case is sealed, and the Data Protection key ring opens no report content.");

        // Erased cases hold no key on purpose (erasure shreds them): they are not counted.
        var cases = await db.Cases.CountAsync(c => c.ErasedAt == null);
        // Held by a member: a copy of their own, or one sealed to a queue group key that some member still holds.
        var memberHeld = await db.Cases.CountAsync(c => c.ErasedAt == null && db.CaseKeys.Any(k => k.CaseId == c.Id && k.Part == CaseKeyPart.Content
            && (db.MemberKeys.Any(m => m.UserId == k.HolderId) || db.QueueKeyCopies.Any(q => q.QueueKeyId == k.HolderId))));
        var recoveryHeld = await db.Cases.CountAsync(c => c.ErasedAt == null && db.CaseKeys.Any(k => k.CaseId == c.Id && k.Part == CaseKeyPart.Content && k.HolderId == CaseKey.Recovery));
        var quorum = await db.RecoveryKeys.AnyAsync();
        var members = await db.MemberKeys.CountAsync(k => k.ConfirmedAt != null && k.OwnSecret);

        await output.WriteLineAsync($"{cases} case(s); {memberHeld} held by a committee member; {members} confirmed member key(s).");
        if (cases > memberHeld)
            await output.WriteLineAsync($"{cases - memberHeld} case(s) are held by no member: only {(quorum ? "the recovery quorum or " : "")}the reporter can open them (erased cases: nobody).");
        await output.WriteLineAsync(quorum
            ? $"Recovery quorum set up; {cases - recoveryHeld} case(s) still without a recovery copy get one when a member who holds them opens them."
            : "No recovery quorum is set up yet: a chair sets it up at /cases/recovery.");
        return partly ? 3 : 0;
    }

    /// <summary>
    /// The chair types their password; it is checked and their key made before the history or schema changes, so a wrong
    /// one changes nothing. A pre-squash history is adopted, and the schema migrated, only after that.
    /// </summary>
    private static async Task<bool> ChairTypesPasswordAsync(string chairEmail, IServiceProvider services, EthicsDbContext db, List<string> applied,
        TextWriter output, TextWriter errors, TextReader? input)
    {
        await errors.WriteAsync($"Password of {chairEmail}: ");
        var password = ReadPassword(input);
        await errors.WriteLineAsync();
        if (string.IsNullOrEmpty(password))
        {
            await errors.WriteLineAsync("No password typed. Nothing was changed.");
            return false;
        }
        // The chair's key needs the MemberKeys table, which the pre-sealing schema lacks: check the password first, on the
        // old schema, then migrate, then make the key.
        var normalized = chairEmail.Trim().ToUpperInvariant();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalized);
        var hasher = services.GetRequiredService<Microsoft.AspNetCore.Identity.IPasswordHasher<StaffUser>>();
        if (user?.PasswordHash is null || hasher.VerifyHashedPassword(user, user.PasswordHash, password) == Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed)
        {
            await errors.WriteLineAsync($"That is not the password of a chair's account {chairEmail}. Nothing was changed.");
            return false;
        }
        if (!await db.UserRoles.AnyAsync(ur => ur.UserId == user.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Chair)))
        {
            await errors.WriteLineAsync($"{chairEmail} is not a chair's account here. Name an account with the Chair role. Nothing was changed.");
            return false;
        }
        if (await db.UserClaims.AnyAsync(c => c.UserId == user.Id && c.ClaimType == StaffClaims.MustChangePassword))
        {
            await errors.WriteLineAsync($"{chairEmail} still has a password an administrator typed; a key under it would receive no case. Name a chair who chose their own. Nothing was changed.");
            return false;
        }
        // From here the database is being changed: a portal refuses to start on it until the command has finished.
        await LegacyUpgrade.BeginAsync(db, default);
        if (LegacyUpgrade.IsPreSquash(applied))
            await LegacyUpgrade.AdoptSquashedHistoryAsync(db, default);
        await db.Database.MigrateAsync();
        await using var scope = services.CreateAsyncScope();
        var prepared = await scope.ServiceProvider.GetRequiredService<LegacyUpgrade>().PrepareChairAsync(chairEmail, password, default);
        if (!prepared.Succeeded)
        {
            await errors.WriteLineAsync(prepared.Error!.Message);
            return false;
        }
        await output.WriteLineAsync($"{chairEmail} holds a key of their own now (wrapped under their password).");
        return true;
    }

    private static async Task<string> ChairIdAsync(EthicsDbContext db, string email)
    {
        var normalized = email.Trim().ToUpperInvariant();
        return await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).FirstAsync();
    }

    /// <summary>From the terminal without echo; from standard input (or the given reader) one line.</summary>
    private static string? ReadPassword(TextReader? input)
    {
        if (input is not null || Console.IsInputRedirected)
            return (input ?? Console.In).ReadLine();
        var typed = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && typed.Length > 0)
                typed.Length--;
            else if (!char.IsControl(key.KeyChar))
                typed.Append(key.KeyChar);
        }
        return typed.ToString();
    }
}
