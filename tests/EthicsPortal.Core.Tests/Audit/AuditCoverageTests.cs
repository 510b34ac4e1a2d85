using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Customers;
using EthicsPortal.Core.FollowUp;
using EthicsPortal.Core.Intake;
using EthicsPortal.Core.Retention;
using EthicsPortal.Core.Tests.Cases;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Audit;

/// <summary>
/// Walks every reporter and committee action on one case and checks that each left exactly its entry in the
/// chain, that none carries report content, and that the chain still verifies.
/// </summary>
public class AuditCoverageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryCaseAction_AppendsItsAuditEntry_WithoutContent()
    {
        await using var w = await Workspace.CreateAsync();
        const string secret = "Recordings of civilians' calls.";   // the text Workspace.ConcernAsync submits
        var submitted = await w.Get<IntakeService>().SubmitAsync(new ConcernSubmission("Ministry", "cloud-storage", "mass-surveillance",
            secret, "", HowKnown.SawIt, OngoingHarm.Yes, "", [], new ReporterIdentity("Riley", "riley@example.net", null),
            [new EthicsPortal.Core.Intake.Evidence.EvidenceFile("note.txt", "evidence text"u8.ToArray())]), Ct);
        await using var ctx = await w.Db.ContextAsync();
        var id = await w.RememberAsync(submitted.Value!);
        var attachment = await ctx.Attachments.Where(a => a.CaseId == id).Select(a => a.Id).SingleAsync(Ct);
        var customer = (await w.Get<CustomerService>().SaveAsync(null, new CustomerInput("Ministry", [], []), w.Admin, Ct)).Value;
        var other = await w.ConcernAsync();
        var otherRef = await ctx.Cases.Where(c => c.Id == other).Select(c => c.Reference).SingleAsync(Ct);
        var cases = w.Get<CaseService>();
        var queries = w.Get<CaseQueries>();
        var followUp = w.Get<FollowUpService>();

        var walk = new (string Action, Func<Task> Act)[]
        {
            ("case.viewed", () => queries.GetAsync(id, w.InQueue, Ct)),
            ("case.attachment-downloaded", () => queries.DownloadAsync(id, attachment, w.InQueue, Ct)),
            ("case.acknowledge", () => cases.AcknowledgeAsync(id, w.InQueue, ct: Ct)),
            ("case.message-sent", () => cases.SendMessageToReporterAsync(id, w.InQueue, "Which region?", Ct)),
            ("case.note-added", () => cases.AddNoteAsync(id, w.InQueue, "internal", Ct)),
            ("case.priority-changed", () => cases.SetPriorityAsync(id, w.InQueue, CasePriority.Urgent, "ongoing harm", Ct)),
            ("case.assigned", () => cases.AssignAsync(id, w.InQueue, w.InQueue, "mine", Ct)),
            ("case.linked", () => cases.LinkCasesAsync(id, w.InQueue, otherRef, Ct)),
            ("case.customer-linked", () => cases.LinkCustomerAsync(id, w.InQueue, customer, Ct)),
            ("case.identity-revealed", () => cases.RevealIdentityAsync(id, w.Chair, "interview", Ct)),
            ("case.member-excluded", () => cases.ExcludeAsync(id, w.Chair, w.Excluded, "conflict", Ct)),
            ("case.rerouted", () => cases.RerouteAsync(id, w.Chair, w.OtherQueue, "better fit", Ct)),
            ("followup.opened", () => followUp.OpenAsync(submitted.Value!.Receipt, Ct)),
            ("followup.replied", () => followUp.ReplyAsync(w.Visit(id), "More detail.", Ct)),
            ("followup.evidence-added", () => followUp.AddEvidenceAsync(w.Visit(id), [new EthicsPortal.Core.Intake.Evidence.EvidenceFile("more.txt", "x"u8.ToArray())], Ct)),
            ("followup.receipt-rejected", () => followUp.OpenAsync("ABCD-EFGH-JKMN-PQRS-TVWX-YZ23", Ct)),
            ("case.starttriage", () => cases.MoveAsync(id, w.Chair, CaseMove.StartTriage, "triage", ct: Ct)),
            ("case.legal-hold-placed", () => w.Get<RetentionService>().PlaceHoldAsync(id, w.Chair, "litigation", Ct)),
            ("case.closed", () => cases.CloseAsync(id, w.Chair, new CloseCase(CaseOutcome.Substantiated, [new CaseAction(ActionKind.ContractReview, [])], "why", "done", "decided"), ct: Ct)),
        };

        foreach (var (action, act) in walk)
        {
            // A reporter's entry waits for its hour's batch (PendingAuditEntries) before it joins the chain.
            async Task<int> Recorded() => await ctx.AuditEntries.CountAsync(e => e.Action == action, Ct)
                                          + await ctx.PendingAuditEntries.CountAsync(e => e.Action == action, Ct);
            var before = await Recorded();
            await act();
            Assert.True(await Recorded() == before + 1, $"no '{action}' entry");
        }

        var all = (await ctx.AuditEntries.AsNoTracking().Select(e => e.Subject + " " + e.Details).ToListAsync(Ct))
            .Concat(await ctx.PendingAuditEntries.AsNoTracking().Select(e => e.Subject + " " + e.Details).ToListAsync(Ct)).ToList();
        Assert.All(all, e => Assert.DoesNotContain(secret, e, StringComparison.Ordinal));
        Assert.All(all, e => Assert.DoesNotContain("riley", e, StringComparison.OrdinalIgnoreCase));
        Assert.True((await w.Get<AuditVerifier>().VerifyAsync(Ct)).IsIntact);

        // An hour later the reporter's entries have joined the chain, which is still intact.
        w.Db.Time.Advance(TimeSpan.FromHours(1));
        Assert.True(await w.Get<AuditLog>().FlushEndedHoursAsync(Ct) >= 5);
        Assert.Empty(await ctx.PendingAuditEntries.ToListAsync(Ct));
        Assert.True((await w.Get<AuditVerifier>().VerifyAsync(Ct)).IsIntact);
    }

    [Fact]
    public async Task NoOpChanges_WriteNoEntry_ALinkIsInBothHistories_AReloadAfterAnActionIsNoSecondView()
    {
        await using var w = await Workspace.CreateAsync();
        var id = await w.ConcernAsync();
        var other = await w.ConcernAsync();
        await using var ctx = await w.Db.ContextAsync();
        var otherRef = await ctx.Cases.Where(c => c.Id == other).Select(c => c.Reference).SingleAsync(Ct);
        var cases = w.Get<CaseService>();
        var queries = w.Get<CaseQueries>();

        Assert.True((await cases.LinkCasesAsync(id, w.Chair, otherRef, Ct)).Succeeded);
        Assert.True((await cases.ExcludeAsync(id, w.Chair, w.Excluded, "conflict", Ct)).Succeeded);
        var entries = await ctx.AuditEntries.CountAsync(Ct);

        Assert.False((await cases.LinkCasesAsync(id, w.Chair, otherRef, Ct)).Succeeded);
        Assert.False((await cases.ExcludeAsync(id, w.Chair, w.Excluded, "again", Ct)).Succeeded);
        Assert.True((await queries.GetAsync(id, w.Chair, recordView: false, Ct)).Succeeded);
        Assert.Equal(entries, await ctx.AuditEntries.CountAsync(Ct));

        foreach (var caseId in new[] { id, other })
            Assert.Equal(1, await ctx.CaseEvents.CountAsync(e => e.CaseId == caseId && e.Kind == CaseEventKind.Linked, Ct));
    }
}
