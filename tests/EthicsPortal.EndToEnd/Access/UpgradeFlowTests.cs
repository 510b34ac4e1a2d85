using EthicsPortal.Core.Data;
using EthicsPortal.Tests.Shared;
using EthicsPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Access;

/// <summary>
/// The portal on a data folder the last build before sealed cases made (tests/Shared/LegacyPortal), after the chair ran
/// `keys migrate --chair chair@demo.local` and typed their password, as the README says.
/// </summary>
public sealed class UpgradedBrowserFixture : BrowserFixture
{
    public UpgradedBrowserFixture() : base(PortalFactory.FromLegacyPortal()) { }

    public string MigrateOutput { get; private set; } = "";

    protected override async Task BeforeStartAsync()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await KeysCommand.RunAsync(Portal.KeysMigrateArgs("--chair", "chair@demo.local"), output, errors, new StringReader("Demo-Portal-Only-2026\n"));
        if (exit != 0)
            throw new InvalidOperationException($"keys migrate failed ({exit}): {errors}");
        MigrateOutput = output.ToString();
    }
}

[CollectionDefinition(Name)]
public sealed class UpgradedBrowserCollection : ICollectionFixture<UpgradedBrowserFixture>
{
    public const string Name = "browser-upgraded";
}

/// <summary>
/// After the upgrade, in Chromium: the chair reads a concern that was under the key ring (report, the reporter's message,
/// the evidence file); its reporter, with JavaScript off and the receipt alone, is told their conversation opens after
/// the committee's next visit, and once the chair has opened the case reads it and writes on, which the chair reads.
/// </summary>
[Collection(UpgradedBrowserCollection.Name)]
public sealed class UpgradeFlowTests(UpgradedBrowserFixture browser)
{
    [Fact]
    public async Task AfterKeysMigrate_TheChairReadsTheOldConcern_AndItsReporterReadsAndWritesAgainOnceTheChairOpenedIt()
    {
        Assert.Contains("Moved 522 case(s) onto sealed keys", browser.MigrateOutput, StringComparison.Ordinal);
        int caseId;
        await using (var scope = browser.Portal.Services.CreateAsyncScope())
            caseId = await scope.ServiceProvider.GetRequiredService<EthicsDbContext>().Cases
                .Where(c => c.Reference == PortalFactory.LegacyReference).Select(c => c.Id).SingleAsync(TestContext.Current.CancellationToken);

        var reporter = await browser.NewPageAsync(javaScript: false);
        await reporter.GotoAsync("/followup");
        // Typed as people type: lower case, an l for a 1. The receipt still opens it, and the key it derives is the receipt's own,
        // so the correctly typed receipt opens the conversation later.
        await reporter.FillAsync("[data-testid=receipt-input]", PortalFactory.LegacyReceipt.ToLowerInvariant().Replace('1', 'l'));
        await reporter.ClickAsync("[data-testid=receipt-submit]");
        await reporter.Locator("[data-testid=awaiting-committee]").WaitForAsync();
        Assert.Contains("once a committee member has opened your case", await reporter.InnerTextAsync("[data-testid=awaiting-committee]"), StringComparison.Ordinal);
        Assert.Equal(0, await reporter.Locator("[data-testid=reply-input]").CountAsync());
        Assert.DoesNotContain("LEGACYPLAINTEXT", await reporter.ContentAsync(), StringComparison.Ordinal);

        var chair = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(chair, "chair@demo.local");
        await chair.GotoAsync($"/cases/{caseId}");
        await chair.Locator("[data-testid=report-description]").WaitForAsync();
        Assert.StartsWith("LEGACYPLAINTEXT-REPORT", (await chair.InnerTextAsync("[data-testid=report-description]")).Trim(), StringComparison.Ordinal);
        await chair.GetByText("LEGACYPLAINTEXT-MESSAGE", new() { Exact = false }).First.WaitForAsync();
        var download = chair.Locator("[data-testid=attachment-download]");
        Assert.Equal("legacy-evidence.txt", (await download.InnerTextAsync()).Trim());
        var file = await chair.Context.APIRequest.GetAsync(new Uri(new Uri(browser.BaseUrl), await download.GetAttributeAsync("href")).ToString());
        Assert.Contains("LEGACYPLAINTEXT-ATTACH", await file.TextAsync(), StringComparison.Ordinal);

        // The chair's visit wrote the reporter's copy: the receipt opens the conversation again, and the reporter writes on.
        await reporter.Context.ClearCookiesAsync();
        await reporter.GotoAsync("/followup");
        await reporter.FillAsync("[data-testid=receipt-input]", PortalFactory.LegacyReceipt);
        await reporter.ClickAsync("[data-testid=receipt-submit]");
        await reporter.Locator("[data-testid=message]", new() { HasText = "LEGACYPLAINTEXT-MESSAGE" }).WaitForAsync();
        Assert.Equal(0, await reporter.Locator("[data-testid=awaiting-committee]").CountAsync());
        await reporter.FillAsync("[data-testid=reply-input]", "After the upgrade: the exports still run every night.");
        await reporter.ClickAsync("[data-testid=reply-submit]");
        await reporter.Locator("[data-testid=message]", new() { HasText = "still run every night" }).WaitForAsync();
        await reporter.Context.CloseAsync();

        await chair.ReloadAsync();
        await chair.GetByText("After the upgrade: the exports still run every night.").WaitForAsync();
        await chair.Context.CloseAsync();
    }
}
