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
}
