using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Customers;
using EthicsPortal.Core.Insights;
using EthicsPortal.Core.Retention;
using EthicsPortal.Core.Security;
using EthicsPortal.Core.Tests.Cases;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Tests.Security;

/// <summary>
/// Every service operation that changes or reveals something × every kind of actor, from one table of who may. Each
/// service decides from the acting user's id alone (no flag from the caller), and denies whoever the table does not name.
/// </summary>
public sealed class OperationRoleMatrixTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Actors = ["admin", "chair", "handler-in-queue", "handler-outside", "hr", "nobody"];

    /// <summary>The one table: operation → actors that may do it.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["queue.create"] = ["admin"],
        ["queue.members"] = ["admin"],
        ["routing.add"] = ["admin"],
        ["retention.days"] = ["admin"],
        ["customer.save"] = ["admin", "chair"],
        ["account.roles"] = ["admin"],
        ["case.read"] = ["chair", "handler-in-queue"],
        ["case.assignable"] = ["chair", "handler-in-queue"],
        ["case.note"] = ["chair", "handler-in-queue"],
        ["case.message"] = ["chair", "handler-in-queue"],
        ["case.acknowledge"] = ["chair", "handler-in-queue"],
        ["case.exclude"] = ["chair"],
        ["case.reroute"] = ["chair"],
        ["case.legal-hold"] = ["chair"],
        ["case.identity"] = ["chair"],   // the identity key is sealed to the custodians (#16)
        ["case.page"] = ["chair", "handler-in-queue"],
        ["case.move"] = ["chair", "handler-in-queue"],
        ["case.reject"] = ["chair", "handler-in-queue"],
        ["case.close"] = ["chair", "handler-in-queue"],
        ["case.assign"] = ["chair", "handler-in-queue"],
        ["case.priority"] = ["chair", "handler-in-queue"],
        ["case.link-customer"] = ["chair", "handler-in-queue"],
        ["case.link-cases"] = ["chair", "handler-in-queue"],
        ["case.download"] = ["chair", "handler-in-queue"],
        ["case.legal-hold-release"] = ["chair"],
        ["insights.report"] = ["admin", "chair", "hr"],
    };

    [Fact]
    public async Task EveryOperation_ForEveryActor_IsAllowedExactlyWhenTheTableSaysSo()
    {
        await using var w = await Workspace.CreateAsync();
        var ids = new Dictionary<string, string>
        {
            ["admin"] = w.Admin, ["chair"] = w.Chair, ["handler-in-queue"] = w.InQueue, ["handler-outside"] = w.OutsideQueue,
            ["hr"] = w.Hr, ["nobody"] = "no-such-user",
        };
        var cases = w.Get<CaseService>();
        var queries = w.Get<CaseQueries>();
        var customer = (await w.Get<CustomerService>().SaveAsync(null, new CustomerInput("A registered customer", [], []), w.Admin, Ct)).Value;
        var n = 0;

        async Task<Guid> VersionAsync(int id)
        {
            await using var db = await w.Db.ContextAsync();
            return await db.Cases.Where(c => c.Id == id).Select(c => c.Version).SingleAsync(Ct);
        }

        async Task<string> ReferenceAsync(int id)
        {
            await using var db = await w.Db.ContextAsync();
            return await db.Cases.Where(c => c.Id == id).Select(c => c.Reference).SingleAsync(Ct);
        }

        async Task<int> InvestigatingAsync()
        {
            var id = await w.ConcernAsync();
            foreach (var move in new[] { CaseMove.Acknowledge, CaseMove.StartTriage, CaseMove.StartInvestigation })
                Assert.True((await cases.MoveAsync(id, w.Chair, move, "on", ct: Ct)).Succeeded);
            return id;
        }

        async Task<int> HeldAsync()
        {
            var id = await w.ConcernAsync();
            Assert.True((await w.Get<RetentionService>().PlaceHoldAsync(id, w.Chair, "litigation", Ct)).Succeeded);
            return id;
        }

        async Task<int> AttachmentAsync(int id)
        {
            await using var db = await w.Db.ContextAsync();
            return await db.Attachments.Where(a => a.CaseId == id).Select(a => a.Id).FirstAsync(Ct);
        }

        async Task<bool> Try(string operation, string actorId)
        {
            var id = await w.ConcernAsync();   // a fresh case (in the queue the in-queue handler works) for every try
            n++;
            return operation switch
            {
                "queue.create" => (await w.Get<QueueAdminService>().CreateQueueAsync($"Queue {n}", actorId, Ct)).Succeeded,
                "queue.members" => (await w.Get<QueueAdminService>().SetMembersAsync(w.OtherQueue, [w.OutsideQueue], actorId, Ct)).Succeeded,
                "routing.add" => (await w.Get<QueueAdminService>().AddRuleAsync(new RuleInput("other", null, null, w.OtherQueue, CasePriority.Low), actorId, Ct)).Succeeded,
                "retention.days" => (await w.Get<RetentionService>().SetRetentionDaysAsync(w.OtherQueue, 400 + n, actorId, Ct)).Succeeded,
                "customer.save" => (await w.Get<CustomerService>().SaveAsync(null, new CustomerInput($"Customer {n}", [], []), actorId, Ct)).Succeeded,
                "account.roles" => (await w.Get<StaffAccountService>().SetRolesAsync(w.OutsideQueue, [Roles.Handler], actorId, Ct)).Succeeded,
                "case.read" => (await queries.GetAsync(id, actorId, Ct)).Succeeded,
                "case.assignable" => (await queries.AssignableAsync(id, actorId, Ct)).Count > 0,
                "case.note" => (await cases.AddNoteAsync(id, actorId, "a note", Ct)).Succeeded,
                "case.message" => (await cases.SendMessageToReporterAsync(id, actorId, "a question", Ct)).Succeeded,
                "case.acknowledge" => (await cases.AcknowledgeAsync(id, actorId, ct: Ct)).Succeeded,
                "case.exclude" => (await cases.ExcludeAsync(id, actorId, w.Excluded, "conflict", Ct)).Succeeded,
                "case.reroute" => (await cases.RerouteAsync(id, actorId, w.OtherQueue, "better fit", Ct)).Succeeded,
                "case.legal-hold" => (await w.Get<RetentionService>().PlaceHoldAsync(id, actorId, "litigation", Ct)).Succeeded,
                "case.identity" => (await cases.RevealIdentityAsync(await w.ConcernAsync(confidential: true), actorId, "need to ask", Ct)).Succeeded,
                "case.page" => (await queries.PageAsync(id, actorId, recordView: true, Ct)).Succeeded,
                "case.move" => (await cases.MoveAsync(id, actorId, CaseMove.Acknowledge, "seen", await VersionAsync(id), Ct)).Succeeded,
                "case.reject" => (await cases.RejectAsync(id, actorId, "out of scope", "This is not about a customer.", await VersionAsync(id), Ct)).Succeeded,
                "case.close" => (await cases.CloseAsync(await InvestigatingAsync(), actorId, "done", "We acted on your report.", ct: Ct)).Succeeded,
                "case.assign" => (await cases.AssignAsync(id, actorId, w.InQueue, "takes it", Ct)).Succeeded,
                "case.priority" => (await cases.SetPriorityAsync(id, actorId, CasePriority.Urgent, "urgent", Ct)).Succeeded,
                "case.link-customer" => (await cases.LinkCustomerAsync(id, actorId, customer, Ct)).Succeeded,
                "case.link-cases" => (await cases.LinkCasesAsync(id, actorId, await ReferenceAsync(await w.ConcernAsync()), Ct)).Succeeded,
                "case.download" => (await queries.DownloadAsync(id, await AttachmentAsync(id), actorId, Ct)).Succeeded,
                "case.legal-hold-release" => (await w.Get<RetentionService>().ReleaseHoldAsync(await HeldAsync(), actorId, "settled", Ct)).Succeeded,
                "insights.report" => (await w.Get<InsightsService>().GetReportAsync(actorId, w.Get<InsightsService>().DefaultPeriod, Ct)).Succeeded,
                _ => throw new ArgumentOutOfRangeException(nameof(operation)),
            };
        }

        var wrong = new List<string>();
        foreach (var (operation, allowed) in Allowed)
        {
            foreach (var actor in Actors)
            {
                if (await Try(operation, ids[actor]) != allowed.Contains(actor))
                    wrong.Add($"{operation} by {actor}: expected {(allowed.Contains(actor) ? "allowed" : "refused")}");
            }
        }
        Assert.Empty(wrong);
    }
}
