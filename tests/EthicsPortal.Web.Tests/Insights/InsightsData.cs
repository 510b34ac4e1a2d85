using System.Security.Cryptography;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Web.Tests.Insights;

/// <summary>A small, fixed set of concerns for the insights pages: some cells large enough to show, some not.</summary>
internal static class InsightsData
{
    /// <summary>"Now" for these tests: mid-June 2026.</summary>
    public static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int month, int day) => new(2026, month, day, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// March: 8 mass-surveillance (cloud storage), 6 privacy (AI services), 2 export-control (compute) — the 2 must hide.
    /// April: 3 concerns — too few for a month of its own.
    /// </summary>
    public static async Task SeedAsync(IDbContextFactory<EthicsDbContext> contexts, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var queue = await db.Queues.Where(q => q.IsDefault).Select(q => q.Id).FirstAsync(ct);
        var n = 0;
        Case Receive(DateTimeOffset at, string type, string product, ReportChannel channel)
        {
            var c = Case.Receive(new NewCase($"C-W{++n:D6}", channel, product, type, OngoingHarm.Yes, queue, [1], null,
                RandomNumberGenerator.GetBytes(32), new string('0', 64), [], [], "reporter", new DeadlineOptions()), at);
            db.Cases.Add(c);
            return c;
        }
        for (var i = 1; i <= 8; i++)
        {
            var c = Receive(At(3, i), "mass-surveillance", "cloud-storage", i % 2 == 0 ? ReportChannel.WebAnonymous : ReportChannel.WebConfidential);
            Check(c.Acknowledge("staff:h", c.ReceivedAt.AddDays(i <= 6 ? 2 : 10)));
            if (i <= 5)
            {
                Check(c.StartTriage("staff:h", c.ReceivedAt.AddDays(12), "triage"));
                Check(c.Close("staff:h", c.ReceivedAt.AddDays(30 + i), "decided", [1], CaseOutcome.Substantiated, null,
                    [new CaseAction(ActionKind.ContractReview, ["cloud-storage"])]));
            }
        }
        for (var i = 1; i <= 6; i++)
            Check(Receive(At(3, 10 + i), "privacy-breach", "ai-services", ReportChannel.WebConfidential).Acknowledge("staff:h", At(3, 12 + i)));
        for (var i = 1; i <= 2; i++)
            Receive(At(3, 20 + i), "export-control", "compute", ReportChannel.Operator);
        for (var i = 1; i <= 3; i++)
            Receive(At(4, i), "privacy-breach", "cloud-storage", ReportChannel.WebConfidential);
        await db.SaveChangesAsync(ct);
    }

    private static void Check(EthicsPortal.Core.Common.Result result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(result.Error!.Message);
    }
}
