using EthicsPortal.Core.Cases;
using EthicsPortal.Core.FollowUp;
using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Intake;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Cases;

/// <summary>A committee on a real SQLite file: queues, people in every position relative to a case.</summary>
public sealed class Workspace : IAsyncDisposable
{
    private Workspace(TestDatabase db) => Db = db;

    public TestDatabase Db { get; }
    public string Chair { get; private set; } = "";
    public string InQueue { get; private set; } = "";
    public string OutsideQueue { get; private set; } = "";
    public string Excluded { get; private set; } = "";
    public string AccountTeam { get; private set; } = "";
    public string Hr { get; private set; } = "";
    public string Admin { get; private set; } = "";
    public int RightsQueue { get; private set; }
    public int OtherQueue { get; private set; }

    public T Get<T>() where T : notnull => Db.Get<T>();

    public const string Password = "a test passphrase long enough";
    private readonly Dictionary<int, ReporterVisit> _visits = [];

    /// <summary>The reporter's way into a concern this workspace submitted, as their receipt gives it.</summary>
    public ReporterVisit Visit(int caseId) => _visits[caseId];

    /// <summary>A member signs in: their key is unlocked for the session, as the sign-in page does it.</summary>
    public async Task SignInAsync(string userId) => Assert.Equal(UnlockOutcome.Unlocked, await Get<MemberKeys>().UnlockAsync(userId, Password, ct: Ct));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<Workspace> CreateAsync(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null)
    {
        var w = new Workspace(await TestDatabase.CreateAsync(configure));
        var accounts = w.Get<StaffAccountService>();
        async Task<string> User(string name, string role)
        {
            var id = (await accounts.CreateForSetupAsync(new NewStaffAccount($"{name}@test.local", name, Password, [role], OwnerChosePassword: true), "test", Ct)).Value!;
            await w.SignInAsync(id);
            return id;
        }
        w.Chair = await User("chair", Roles.Chair);
        w.InQueue = await User("inqueue", Roles.Handler);
        w.OutsideQueue = await User("outside", Roles.Handler);
        w.Excluded = await User("excluded", Roles.Handler);
        w.AccountTeam = await User("accountteam", Roles.Handler);
        w.Hr = await User("hr", Roles.HR);
        w.Admin = await User("admin", Roles.Admin);
        var queues = w.Get<QueueAdminService>();
        w.RightsQueue = (await queues.CreateQueueAsync("Human rights", w.Admin, Ct)).Value;
        w.OtherQueue = (await queues.CreateQueueAsync("Other", w.Admin, Ct)).Value;
        await queues.SetMembersAsync(w.RightsQueue, [w.InQueue, w.Excluded, w.AccountTeam], w.Admin, Ct);
        await queues.SetMembersAsync(w.OtherQueue, [w.OutsideQueue], w.Admin, Ct);
        await queues.AddRuleAsync(new RuleInput("mass-surveillance", null, null, w.RightsQueue, CasePriority.High), w.Admin, Ct);
        return w;
    }

    /// <summary>Submits a concern through intake and returns its id.</summary>
    public async Task<int> ConcernAsync(string misuse = "mass-surveillance", IReadOnlyList<string>? exclude = null, string customer = "Ministry of Interior",
        bool confidential = false)
    {
        var receipt = await Get<IntakeService>().SubmitAsync(new ConcernSubmission(customer, "cloud-storage", misuse,
            "Recordings of civilians' calls.", "", HowKnown.SawIt, OngoingHarm.Yes, "", exclude ?? [],
            confidential ? new ReporterIdentity("Riley", "riley@example.net", null) : null,
            [new EthicsPortal.Core.Intake.Evidence.EvidenceFile("note.txt", "bucket gov-intercepts"u8.ToArray())]), Ct);
        Assert.True(receipt.Succeeded, receipt.Error?.Message);
        return await RememberAsync(receipt.Value!);
    }

    /// <summary>The id of a concern submitted with this receipt, whose reporter's way in <see cref="Visit"/> then gives.</summary>
    public async Task<int> RememberAsync(SubmissionReceipt receipt)
    {
        await using var ctx = await Db.ContextAsync();
        var id = await ctx.Cases.Where(c => c.Reference == receipt.CaseReference).Select(c => c.Id).SingleAsync(Ct);
        _visits[id] = new ReporterVisit(id, Seal.ReporterKey(receipt.Receipt, receipt.CaseReference));
        return id;
    }

    public ValueTask DisposeAsync() => Db.DisposeAsync();
}
