using System.Security.Cryptography;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.EndToEnd.Insights;

/// <summary>
/// A plausible year of concerns (January to mid-November 2026), made through the aggregate's transitions, in a
/// queue of its own so that no committee member's work list changes.
/// </summary>
internal static class InsightsDemoData
{
    private static readonly string[] Types = ["mass-surveillance", "mass-surveillance", "human-rights-harm", "military-targeting", "privacy-breach", "privacy-breach", "export-control", "acceptable-use", "other"];
    private static readonly string[] Products = ["cloud-storage", "cloud-storage", "ai-services", "ai-services", "compute", "communications", "other"];
    private static readonly int[] CheckInDays = [30, 60, 90];

    public static async Task SeedAsync(IDbContextFactory<EthicsDbContext> contexts, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var queue = new Queue("Insights sample " + Guid.NewGuid().ToString("N")[..6], isDefault: false);
        db.Queues.Add(queue);
        await db.SaveChangesAsync(ct);
        var random = new Random(2026);
        var n = 0;
        for (var month = 1; month <= 11; month++)
        {
            var count = month == 2 ? 3 : random.Next(7, 19);
            for (var i = 0; i < count; i++)
            {
                var at = new DateTimeOffset(2026, month, 1 + random.Next(month == 11 ? 15 : 27), 8 + random.Next(9), 0, 0, TimeSpan.Zero);
                var channel = random.Next(10) switch { < 5 => ReportChannel.WebAnonymous, < 9 => ReportChannel.WebConfidential, _ => ReportChannel.Operator };
                var c = Case.Receive(new NewCase($"C-I{++n:D5}{random.Next(1000):D3}", channel, Products[random.Next(Products.Length)],
                    Types[random.Next(Types.Length)], OngoingHarm.Yes, queue.Id, [1], null, RandomNumberGenerator.GetBytes(32),
                    new string('0', 64), [], [], "reporter", new DeadlineOptions()), at);
                Move(c, random, month);
                db.Cases.Add(c);
            }
        }
        await db.SaveChangesAsync(ct);
    }

    private static void Move(Case c, Random random, int month)
    {
        var age = 11 - month;
        if (random.Next(12) == 0)
        {
            c.Reject("staff:demo", c.ReceivedAt.AddDays(random.Next(1, 6)), "out of scope", [1]);
            return;
        }
        c.Acknowledge("staff:demo", c.ReceivedAt.AddHours(random.Next(4, random.Next(8) == 0 ? 260 : 150)));
        if (age >= 1 && random.Next(3) > 0)
            c.AnswerCheckIn(30, random.Next(9) == 0, null, c.ReceivedAt.AddDays(31), CheckInDays);
        if (age < 1 || random.Next(10) < 3)
            return;
        c.StartTriage("staff:demo", c.AcknowledgedAt!.Value.AddDays(2), "triage");
        var outcome = random.Next(10) switch { < 3 => CaseOutcome.Substantiated, < 5 => CaseOutcome.PartlySubstantiated, _ => CaseOutcome.NotSubstantiated };
        IReadOnlyList<CaseAction> actions = outcome == CaseOutcome.NotSubstantiated ? [] :
            random.Next(4) switch
            {
                0 => [new CaseAction(ActionKind.ServicesSuspended, ["cloud-storage"])],
                1 => [new CaseAction(ActionKind.ContractReview, ["ai-services"]), new CaseAction(ActionKind.PolicyChange, [])],
                2 => [new CaseAction(ActionKind.ContractReview, ["compute"])],
                _ => [new CaseAction(ActionKind.PolicyChange, [])],
            };
        c.Close("staff:demo", c.ReceivedAt.AddDays(random.Next(20, 25 + 25 * age)), "decided", [1], outcome, null, actions);
    }
}
