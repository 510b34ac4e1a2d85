using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Intake;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Security;

/// <summary>
/// Some 18 months of a working committee's concerns for the demo, so that every insights chart means something:
/// about 37 a month across channels, products and misuse types, moved through the workflow by the aggregate itself
/// (acknowledged, triaged, investigated, referred, rejected or closed with outcomes and actions), older ones done,
/// recent ones still open. Deterministic (one seed), encrypted like real content, and not in the audit chain: the
/// chain starts with the demo's own start, it never pretends to records it did not witness.
/// </summary>
internal static class DemoHistory
{
    private static readonly string[] Products = ["cloud-storage", "ai-services", "compute", "communications", "other"];
    private static readonly string[] Misuse = ["mass-surveillance", "human-rights-harm", "military-targeting", "privacy-breach", "export-control", "acceptable-use", "other"];

    public static async Task SeedAsync(EthicsDbContext db, Sealing.CaseSealing sealing, DeadlineOptions deadlines,
        IReadOnlyDictionary<string, int> queueFor, int defaultQueue, string handlerId, DateTimeOffset now, CancellationToken ct)
    {
        var random = new Random(2026);
        var actor = Audit.AuditActors.Staff(handlerId);
        var start = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-18);
        for (var month = start; month < now.AddDays(-3); month = month.AddMonths(1))
        {
            var count = 30 + random.Next(16);
            for (var i = 0; i < count; i++)
            {
                var received = month.AddMinutes(random.Next(28 * 24 * 60));
                if (received > now.AddDays(-2))
                    continue;
                var channel = random.NextDouble() switch { < 0.55 => ReportChannel.WebAnonymous, < 0.85 => ReportChannel.WebConfidential, _ => ReportChannel.Operator };
                var misuse = Misuse[Weighted(random, [4, 3, 2, 4, 2, 3, 1])];
                var product = Products[Weighted(random, [4, 4, 2, 2, 1])];
                var report = new CaseReport("Demo customer " + (1 + random.Next(12)), "A demo concern from the seeded history.", "", (HowKnown)(1 + random.Next(3)), "");
                var reference = await ReferenceAsync(db, random, ct);
                var queueId = queueFor.TryGetValue(misuse, out var queue) ? queue : defaultQueue;
                // Sealed like every real concern: to the members who may see it, and to a receipt nobody keeps.
                var keys = await sealing.ForNewCaseAsync(db, reference, ReceiptCodes.NewReceipt(), queueId, false, [],
                    channel == ReportChannel.WebConfidential, Case.ReporterTime(channel, received), ct);
                var c = Case.Receive(new NewCase(
                    reference, channel, product, misuse, (OngoingHarm)random.Next(3), queueId,
                    keys.Content.EncryptJson(Sealing.SealedField.Report, report),
                    channel == ReportChannel.WebConfidential ? keys.Identity!.EncryptJson(Sealing.SealedField.Identity, new ReporterIdentity("Demo reporter", "demo.reporter@example.org", null)) : null,
                    System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                    [], [], channel == ReportChannel.Operator ? actor : Audit.AuditActors.Reporter, deadlines), received);
                Advance(c, random, actor, keys.Content, received, now);
                // Half the reporters answer the 30-day check-in; a few say they were treated worse.
                if (received.AddDays(31) < now && random.NextDouble() < 0.5)
                    c.AnswerCheckIn(30, random.NextDouble() < 0.15, null, received.AddDays(31), deadlines.CheckInDays);
                db.Cases.Add(c);
                Sealing.CaseSealing.Store(db, c.Id, keys, "demo-seed", c.ReceivedAt);
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Moves a case as far through the workflow as its age allows, at plausible intervals.</summary>
    private static void Advance(Case c, Random random, string actor, Sealing.CaseCipher cipher, DateTimeOffset received, DateTimeOffset now)
    {
        var at = received.AddHours(6 + random.Next(24 * 8));   // most within the 7 days the directive allows, some late
        if (at >= now || !c.Acknowledge(actor, at).Succeeded)
            return;
        at = at.AddDays(1 + random.Next(5));
        if (random.NextDouble() < 0.08)
        {
            if (at < now)
                c.Reject(actor, at, "Out of scope", cipher.EncryptText(Sealing.SealedField.Message, "This concern is outside what the committee looks into."));
            return;
        }
        if (at >= now || !c.StartTriage(actor, at, "Triage started").Succeeded)
            return;
        at = at.AddDays(2 + random.Next(10));
        if (at >= now || !c.StartInvestigation(actor, at, "Investigation started").Succeeded)
            return;
        if (random.NextDouble() < 0.1)
        {
            at = at.AddDays(3 + random.Next(10));
            if (at >= now || !c.Refer(actor, at, "Referred to legal").Succeeded)
                return;
        }
        at = at.AddDays(10 + random.Next(80));
        if (at >= now)
            return;
        var outcome = (CaseOutcome)Weighted(random, [3, 2, 3, 1]);
        List<CaseAction> actions = outcome == CaseOutcome.NotSubstantiated ? [] : [.. Enum.GetValues<ActionKind>()
            .Where(_ => random.NextDouble() < 0.3)
            .Select(k => new CaseAction(k, k is ActionKind.ServicesSuspended or ActionKind.ServicesTerminated ? [c.ProductKey] : []))];
        c.Close(actor, at, "Closed with a decision", cipher.EncryptText(Sealing.SealedField.Message, "We looked into your concern and decided."),
            outcome, cipher.EncryptText(Sealing.SealedField.Message, "Demo rationale."), actions);
    }

    private static int Weighted(Random random, int[] weights)
    {
        var pick = random.Next(weights.Sum());
        for (var i = 0; i < weights.Length; i++)
        {
            if ((pick -= weights[i]) < 0)
                return i;
        }
        return weights.Length - 1;
    }

    private static async Task<string> ReferenceAsync(EthicsDbContext db, Random random, CancellationToken ct)
    {
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
        while (true)
        {
            var chars = Enumerable.Range(0, 8).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
            var reference = $"C-{new string(chars, 0, 4)}-{new string(chars, 4, 4)}";
            if (!db.Cases.Local.Any(c => c.Reference == reference) && !await db.Cases.AnyAsync(c => c.Reference == reference, ct))
                return reference;
        }
    }
}
