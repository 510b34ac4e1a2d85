using EthicsPortal.Core;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Sealing;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// `keys migrate`: brings a data folder onto sealed cases (#16). Content has been sealed since the squashed schema, and
/// no build that kept report content under the Data Protection key ring was released; such a database carries
/// migrations this build does not know, and there is no honest way to move it (whoever held its key ring could read it).
/// So the command applies pending migrations, refuses an unknown history without changing anything, and reports what
/// is sealed: cases no member holds and cases still without a recovery copy.
/// </summary>
public static class KeysCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? errors = null)
    {
        output ??= Console.Out;
        errors ??= Console.Error;
        if (args is not ["migrate", ..])
        {
            await errors.WriteLineAsync("Usage: keys migrate");
            return 2;
        }
        var builder = Host.CreateApplicationBuilder(args[1..]);
        var root = PortalPaths.FindRoot();
        PortalPaths.AddRootSettings(builder.Configuration, root, builder.Environment.EnvironmentName);
        builder.Logging.ClearProviders();
        builder.Services.AddEthicsCore(builder.Configuration, root);
        using var host = builder.Build();
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<EthicsDbContext>>().CreateDbContextAsync();

        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var unknown = (await db.Database.GetAppliedMigrationsAsync()).Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            await errors.WriteLineAsync(
                $"This database was made by a build this one does not know (schema history: {string.Join(", ", unknown)}). Nothing was changed. " +
                "Builds before sealed cases kept report content under the server's Data Protection key ring and were never released; " +
                "their content cannot be moved onto sealed keys without trusting that key ring. Start from a new data folder.");
            return 1;
        }
        await db.Database.MigrateAsync();

        var cases = await db.Cases.CountAsync();
        // Held by a member: a copy of their own, or one sealed to a queue group key that some member still holds.
        var memberHeld = await db.Cases.CountAsync(c => db.CaseKeys.Any(k => k.CaseId == c.Id && k.Part == CaseKeyPart.Content
            && (db.MemberKeys.Any(m => m.UserId == k.HolderId) || db.QueueKeyCopies.Any(q => q.QueueKeyId == k.HolderId))));
        var recoveryHeld = await db.Cases.CountAsync(c => db.CaseKeys.Any(k => k.CaseId == c.Id && k.Part == CaseKeyPart.Content && k.HolderId == CaseKey.Recovery));
        var quorum = await db.RecoveryKeys.AnyAsync();
        var members = await db.MemberKeys.CountAsync(k => k.ConfirmedAt != null && k.OwnSecret);

        await output.WriteLineAsync($"Nothing to migrate: every case is sealed, and the Data Protection key ring opens no report content.");
        await output.WriteLineAsync($"{cases} case(s); {memberHeld} held by a committee member; {members} confirmed member key(s).");
        if (cases > memberHeld)
            await output.WriteLineAsync($"{cases - memberHeld} case(s) are held by no member: only {(quorum ? "the recovery quorum or " : "")}the reporter can open them.");
        await output.WriteLineAsync(quorum
            ? $"Recovery quorum set up; {cases - recoveryHeld} case(s) still without a recovery copy get one when a member who holds them opens them."
            : "No recovery quorum is set up yet: a chair sets it up at /cases/recovery.");
        return 0;
    }
}
