using System.Security.Claims;
using System.Security.Cryptography;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Insights;

/// <summary>Cases for insights tests, made through the aggregate's own transitions and stored in the real database.</summary>
internal sealed class InsightsSeed
{
    private static readonly int[] CheckInDays = [30, 60, 90];
    private readonly List<Case> _pending = [];
    private int _counter;

    public static DateTimeOffset At(int year, int month, int day = 10, int hour = 9) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    public Case Receive(DateTimeOffset at, string type = "mass-surveillance", string product = "cloud-storage",
        ReportChannel channel = ReportChannel.WebConfidential, int queueId = 1)
    {
        var reference = $"C-T{Interlocked.Increment(ref _counter):D6}";
        var c = Case.Receive(new NewCase(reference, channel, product, type, OngoingHarm.Yes, queueId, [1], null,
            RandomNumberGenerator.GetBytes(32), new string('0', 64), [], [], "reporter", new DeadlineOptions()), at);
        _pending.Add(c);
        return c;
    }

    public static Case Acknowledge(Case c, TimeSpan after)
    {
        Assert.True(c.Acknowledge("staff:h", c.ReceivedAt + after).Succeeded);
        return c;
    }

    public static Case Close(Case c, TimeSpan after, CaseOutcome outcome = CaseOutcome.NotSubstantiated, params ActionKind[] actions)
    {
        if (c.Status == CaseStatus.Received)
            Acknowledge(c, TimeSpan.FromDays(1));
        if (c.Status == CaseStatus.Acknowledged)
            Assert.True(c.StartTriage("staff:h", c.AcknowledgedAt!.Value, "triage").Succeeded);
        Assert.True(c.Close("staff:h", c.ReceivedAt + after, "decided", [1], outcome, null,
            actions.Select(a => new CaseAction(a, ["cloud-storage"])).ToList()).Succeeded);
        return c;
    }

    public static Case Reject(Case c, TimeSpan after)
    {
        Assert.True(c.Reject("staff:h", c.ReceivedAt + after, "out of scope", [1]).Succeeded);
        return c;
    }

    public static Case CheckIn(Case c, int day, bool treatedWorse)
    {
        Assert.True(c.AnswerCheckIn(day, treatedWorse, null, c.ReceivedAt.AddDays(day).AddHours(1), CheckInDays).Succeeded);
        return c;
    }

    public async Task SaveAsync(EthicsDbContext db)
    {
        db.Cases.AddRange(_pending);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        _pending.Clear();
    }

    public static async Task<int> DefaultQueueAsync(EthicsDbContext db)
        => await db.Queues.Where(q => q.IsDefault).Select(q => q.Id).FirstAsync(TestContext.Current.CancellationToken);

    /// <summary>A real account in the role (the service reads roles from the database); returns its id.</summary>
    public static async Task<string> UserAsync(TestDatabase db, string role)
        => (await db.Get<EthicsPortal.Core.Security.StaffAccountService>().CreateForSetupAsync(new EthicsPortal.Core.Security.NewStaffAccount(
            $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local", role, "a test passphrase long enough", [role], OwnerChosePassword: true),
            "test", TestContext.Current.CancellationToken)).Value!;
}
