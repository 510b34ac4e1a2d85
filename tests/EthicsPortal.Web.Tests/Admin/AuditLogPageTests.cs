using Bunit;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Security;
using EthicsPortal.Web.Components.Admin;

namespace EthicsPortal.Web.Tests.Admin;

public sealed class AuditLogPageTests : CoreBackedTestContext
{
    public AuditLogPageTests() => SignInAs("admin", Roles.Admin);

    [Fact]
    public async Task AuditLog_FilterAndVerify_ShowsMatchingEntriesAndTheVerdict()
    {
        var log = Get<AuditLog>();
        await log.AppendAsync(new AuditRecord("staff:x", "case.viewed", "case:C-AAAA-BBBB"), Xunit.TestContext.Current.CancellationToken);
        RenderProviders();
        var page = Render<AuditLogPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=audit-row]")));

        page.Find("[data-testid=audit-filter-action]").Change("case.");
        page.Find("[data-testid=audit-filter]").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=audit-row]")));
        page.Find("[data-testid=audit-verify]").Click();

        page.WaitForAssertion(() => Assert.Contains("audit chain intact", page.Find("[data-testid=audit-verification]").TextContent, StringComparison.Ordinal));
        Assert.Contains("C-AAAA-BBBB", page.Find("[data-testid=audit-row]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReportersEntry_IsCountedAsWaiting_NotShownInTheChain_UntilItsHourEnds()
    {
        await Get<AuditLog>().AppendAsync(new AuditRecord(AuditActors.Reporter, "followup.opened", "case:C-WAIT-0001", HourOnly: true), Xunit.TestContext.Current.CancellationToken);
        RenderProviders();
        var page = Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Contains("1 reporter entry waits to join the chain when its hour ends", page.Find("[data-testid=audit-waiting]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("C-WAIT-0001", page.Markup, StringComparison.Ordinal);
    }
}
