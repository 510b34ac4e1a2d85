using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Customers;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Intake;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Security;

/// <summary>Idempotent demo data for `--demo`: one account per role, and (optionally) a committee workspace with concerns in it.</summary>
public sealed class DemoSeeder(IServiceScopeFactory scopes, StaffAccountService accounts, IDbContextFactory<EthicsDbContext> contexts)
{
    /// <summary>The one shared demo password; printed at start and stated in the README. Never for production.</summary>
    public const string DemoPassword = "Demo-Portal-Only-2026";

    public static readonly IReadOnlyList<(string Email, string Name, string Role)> Accounts =
    [
        ("admin@demo.local", "Ada Admin", Roles.Admin),
        ("chair@demo.local", "Chris Chair", Roles.Chair),
        ("handler@demo.local", "Hana Handler", Roles.Handler),
        ("hr@demo.local", "Harper HR", Roles.HR),
        ("legal@demo.local", "Lee Legal", Roles.Legal),
        ("employee@demo.local", "Emery Employee", Roles.Employee),
    ];

    public async Task SeedAsync(CancellationToken ct = default)
    {
        foreach (var (email, name, role) in Accounts)
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            if (await users.FindByEmailAsync(email) is not null)
                continue;
            var result = await accounts.CreateForSetupAsync(new NewStaffAccount(email, name, DemoPassword, [role], OwnerChosePassword: true), "demo-seed", ct);
            if (!result.Succeeded)
                throw new InvalidOperationException($"Demo account {email} could not be created: {result.Error!.Message}");
        }

        // The demo handler works the default queue, so a fresh concern is visible to them at once.
        await using var db = await contexts.CreateDbContextAsync(ct);
        var handler = await HandlerIdAsync(db, ct);
        var general = await db.Queues.Where(q => q.IsDefault).Select(q => q.Id).FirstAsync(ct);
        if (!await db.QueueMembers.AnyAsync(m => m.QueueId == general && m.UserId == handler, ct))
        {
            db.QueueMembers.Add(new QueueMember(general, handler));
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>Queues, routing rules, a customer and a few concerns in different states, for trying the workspace.</summary>
    public async Task SeedWorkspaceAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.RoutingRules.AnyAsync(ct) || await db.Cases.AnyAsync(ct))
            return;
        var handler = await HandlerIdAsync(db, ct);
        var admin = await db.Users.Where(u => u.Email == "admin@demo.local").Select(u => u.Id).FirstAsync(ct);
        var queues = sp.GetRequiredService<QueueAdminService>();
        async Task<int> Queue(string name)
        {
            var id = (await queues.CreateQueueAsync(name, admin, ct)).Value;
            await queues.SetMembersAsync(id, [handler], admin, ct);
            return id;
        }
        var rights = await Queue("Human rights & surveillance");
        var privacy = await Queue("Privacy");
        var export = await Queue("Export control");
        await queues.AddRuleAsync(new RuleInput("mass-surveillance", null, OngoingHarm.Yes, rights, CasePriority.Urgent), admin, ct);
        await queues.AddRuleAsync(new RuleInput("mass-surveillance", null, null, rights, CasePriority.High), admin, ct);
        await queues.AddRuleAsync(new RuleInput("military-targeting", null, null, rights, CasePriority.Urgent), admin, ct);
        await queues.AddRuleAsync(new RuleInput("human-rights-harm", null, null, rights, CasePriority.High), admin, ct);
        await queues.AddRuleAsync(new RuleInput("privacy-breach", null, null, privacy, CasePriority.Normal), admin, ct);
        await queues.AddRuleAsync(new RuleInput("export-control", null, null, export, CasePriority.High), admin, ct);

        var customerId = (await sp.GetRequiredService<CustomerService>().SaveAsync(null,
            new CustomerInput("Ministry of Interior of Examplia", ["MoI Examplia", "Examplia Interior Ministry"], []), admin, ct)).Value;

        // The seed works as the demo handler would, with their key unlocked from the demo password, and drops it after.
        var memberKeys = sp.GetRequiredService<Sealing.MemberKeys>();
        await memberKeys.UnlockAsync(handler, DemoPassword, ct: ct);
        try
        {
            await SeedConcernsAsync(sp, db, handler, customerId, rights, privacy, export, ct);
        }
        finally
        {
            memberKeys.Lock(handler);
        }
    }

    private static async Task SeedConcernsAsync(IServiceProvider sp, EthicsDbContext db, string handler, int customerId, int rights, int privacy, int export,
        CancellationToken ct)
    {
        var intake = sp.GetRequiredService<IntakeService>();
        var cases = sp.GetRequiredService<CaseService>();
        async Task<int> Concern(string product, string misuse, OngoingHarm ongoing, string text)
        {
            var receipt = await intake.SubmitAsync(new ConcernSubmission("Ministry of Interior of Examplia", product, misuse, text,
                "Since early this year", HowKnown.SawIt, ongoing, "", [], null, []), ct);
            return await db.Cases.Where(c => c.Reference == receipt.Value!.CaseReference).Select(c => c.Id).FirstAsync(ct);
        }
        await Concern("cloud-storage", "mass-surveillance", OngoingHarm.Yes,
            "A storage account of this customer receives millions of recorded phone calls of civilians every day, tagged by phone number.");
        var second = await Concern("ai-services", "mass-surveillance", OngoingHarm.Yes,
            "Our speech-to-text and speaker identification APIs are run over the same recordings; the output feeds a watch list.");
        await cases.AcknowledgeAsync(second, handler, ct: ct);
        await cases.SendMessageToReporterAsync(second, handler, "Thank you. We are looking into this. Do you know which team at the customer runs the watch list?", ct);
        var third = await Concern("compute", "privacy-breach", OngoingHarm.Unknown,
            "Customer data from a health insurer is copied nightly to a region the contract excludes.");
        await cases.AcknowledgeAsync(third, handler, ct: ct);
        await cases.LinkCustomerAsync(second, handler, customerId, ct);

        var general = await db.Queues.Where(q => q.IsDefault).Select(q => q.Id).FirstAsync(ct);
        var queueFor = new Dictionary<string, int>
        {
            ["mass-surveillance"] = rights, ["military-targeting"] = rights, ["human-rights-harm"] = rights,
            ["privacy-breach"] = privacy, ["export-control"] = export,
        };
        await DemoHistory.SeedAsync(db, sp.GetRequiredService<Sealing.CaseSealing>(), sp.GetRequiredService<IOptions<DeadlineOptions>>().Value,
            queueFor, general, handler, sp.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
    }

    private static Task<string> HandlerIdAsync(EthicsDbContext db, CancellationToken ct)
        => db.Users.Where(u => u.Email == "handler@demo.local").Select(u => u.Id).FirstAsync(ct);
}
