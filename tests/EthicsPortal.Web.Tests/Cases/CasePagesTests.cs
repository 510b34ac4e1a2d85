using Bunit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Intake;
using EthicsPortal.Core.Security;
using EthicsPortal.Web.Components.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests.Cases;

/// <summary>The queue and the case page, rendered with bUnit over the real services.</summary>
public sealed class CasePagesTests : CoreBackedTestContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;
    private readonly string _handler;
    private readonly string _admin;

    public CasePagesTests()
    {
        _handler = SignInAs("hana", Roles.Handler);
        var general = Get<QueueAdminService>().QueuesAsync(Ct).GetAwaiter().GetResult().Single(q => q.IsDefault).Id;
        _admin = CreateAccount("ada", Roles.Admin);
        Get<QueueAdminService>().SetMembersAsync(general, [_handler], _admin, Ct).GetAwaiter().GetResult();
    }

    private int Concern(string text)
    {
        var receipt = Get<IntakeService>().SubmitAsync(new ConcernSubmission("Ministry of Interior", "cloud-storage", "mass-surveillance", text,
            "", HowKnown.SawIt, OngoingHarm.Yes, "", [], null, []), Ct).GetAwaiter().GetResult().Value!;
        using var db = Get<IDbContextFactory<Core.Data.EthicsDbContext>>().CreateDbContext();
        return db.Cases.Single(c => c.Reference == receipt.CaseReference).Id;
    }

    [Fact]
    public void CaseList_ShowsTheHandlersCasesWithDeadlines()
    {
        Concern("first concern");
        Concern("second concern");
        RenderProviders();

        var list = Render<CaseList>();

        list.WaitForAssertion(() => Assert.Equal(2, list.FindAll("[data-testid=case-row]").Count));
        Assert.Equal(2, list.FindAll("[data-testid=ack-due]").Count);
        Assert.Empty(list.FindAll("[data-testid=overdue]"));
        Assert.DoesNotContain("first concern", list.Markup, StringComparison.Ordinal);   // no report content in the queue
    }

    [Fact]
    public void CasePage_ShowsTheDecryptedReportAndOnlyTheLegalMoves()
    {
        var id = Concern("Recordings of civilians stored in bucket 7731.");
        RenderProviders();

        var page = Render<CasePage>(p => p.Add(x => x.CaseId, id));

        page.WaitForAssertion(() => Assert.Equal("Recordings of civilians stored in bucket 7731.", page.Find("[data-testid=report-description]").TextContent));
        Assert.Equal("Received", page.Find("[data-testid=case-status]").TextContent.Trim());
        Assert.NotNull(page.Find("[data-testid=transition-Acknowledge]"));
        Assert.Empty(page.FindAll("[data-testid=transition-StartInvestigation]"));
        Assert.NotNull(page.Find("[data-testid=transition-Reject]"));
        Assert.Empty(page.FindAll("[data-testid=transition-Close]"));
        Assert.Empty(page.FindAll("[data-testid=conflict-exclusions]"));   // chair only
    }

    [Fact]
    public void CasePage_Acknowledge_MovesTheCaseAndOffersTheNextMoves()
    {
        var id = Concern("text");
        RenderProviders();
        var page = Render<CasePage>(p => p.Add(x => x.CaseId, id));
        page.WaitForElement("[data-testid=transition-Acknowledge]");

        page.Find("[data-testid=transition-Acknowledge]").Click();

        page.WaitForAssertion(() => Assert.Equal("Acknowledged", page.Find("[data-testid=case-status]").TextContent.Trim()));
        Assert.NotNull(page.Find("[data-testid=transition-StartTriage]"));
        Assert.Empty(page.FindAll("[data-testid=transition-Acknowledge]"));
    }

    [Fact]
    public void CasePage_MessageAndNote_AppearAfterSending()
    {
        var id = Concern("text");
        RenderProviders();
        var page = Render<CasePage>(p => p.Add(x => x.CaseId, id));
        page.WaitForElement("[data-testid=message-input]");

        page.Find("[data-testid=message-input]").Change("Which region?");
        page.Find("[data-testid=send-message]").Click();
        page.WaitForAssertion(() => Assert.Contains("Which region?", page.Find("[data-testid=case-message]").TextContent, StringComparison.Ordinal));
        page.Find("[data-testid=note-input]").Change("Check the storage logs.");
        page.Find("[data-testid=add-note]").Click();

        page.WaitForAssertion(() => Assert.Contains("Check the storage logs.", page.Find("[data-testid=case-note]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CasePage_CaseOutsideTheHandlersQueues_IsNotShown()
    {
        var id = Concern("Secret-hidden-text-91");
        var other = (await Get<QueueAdminService>().CreateQueueAsync("Other", _admin, Ct)).Value;
        using (var db = Get<IDbContextFactory<Core.Data.EthicsDbContext>>().CreateDbContext())
        {
            db.Database.ExecuteSql($"UPDATE Cases SET QueueId = {other} WHERE Id = {id}");
        }
        RenderProviders();

        var page = Render<CasePage>(p => p.Add(x => x.CaseId, id));

        page.WaitForElement("[data-testid=case-not-found]");
        Assert.DoesNotContain("Secret-hidden-text-91", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CasePage_PatternChip_LeadsToEveryConcernAboutThatCustomer_AndTheQueueOpensFilteredOnIt()
    {
        var customer = (await Get<Core.Customers.CustomerService>().SaveAsync(null,
            new Core.Customers.CustomerInput("Ministry of Interior", [], []), _admin, Ct)).Value;
        var ids = new[] { Concern("one"), Concern("two"), Concern("three") };
        foreach (var id in ids)
            Assert.True((await Get<CaseService>().LinkCustomerAsync(id, _handler, customer, Ct)).Succeeded);
        var unrelated = Concern("about someone else");
        RenderProviders();

        var page = Render<CasePage>(p => p.Add(x => x.CaseId, ids[2]));
        page.WaitForElement("[data-testid=pattern-flag]");
        Assert.Equal($"cases?customer={customer}", page.Find("[data-testid=pattern-flag]").GetAttribute("href"));

        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo($"cases?customer={customer}");
        var list = Render<CaseList>();
        list.WaitForAssertion(() => Assert.Equal(3, list.FindAll("[data-testid=case-row]").Count));
        using var db = Get<IDbContextFactory<Core.Data.EthicsDbContext>>().CreateDbContext();
        var other = db.Cases.Single(c => c.Id == unrelated).Reference;
        Assert.Empty(list.FindAll($"[data-testid=case-row][data-reference='{other}']"));
    }
}
