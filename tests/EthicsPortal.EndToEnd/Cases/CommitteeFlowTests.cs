using EthicsPortal.Core.Security;
using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Cases;

[Collection(BrowserCollection.Name)]
public sealed class CommitteeFlowTests(BrowserFixture browser)
{
    [Fact]
    public async Task Handler_FindsNewAnonymousConcern_AcknowledgesAndWrites_ReporterReadsItInFollowUp()
    {
        // The reporter, with JavaScript off.
        var reporter = await browser.NewPageAsync(javaScript: false);
        await reporter.GotoAsync("/report");
        await reporter.SelectOptionAsync("[data-testid=product]", "cloud-storage");
        await reporter.SelectOptionAsync("[data-testid=misuse-type]", "export-control");
        var marker = $"Shipment {Guid.NewGuid():N}"[..18];
        await reporter.FillAsync("[data-testid=description]", $"{marker}: GPU capacity resold to a sanctioned end user.");
        await reporter.ClickAsync("[data-testid=submit]");
        var receipt = (await reporter.Locator("[data-testid=receipt]").InnerTextAsync()).Trim();
        var reference = await reporter.Locator("[data-testid=receipt-panel]").GetAttributeAsync("data-reference");

        // The handler finds it in the queue and acts on it.
        var handler = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(handler, "handler@demo.local");
        await handler.ClickAsync("[data-testid=nav-cases]");
        await handler.WaitForSelectorAsync("[data-testid=interactive]", new() { State = WaitForSelectorState.Attached });
        // Its own row: other tests' concerns share the list (and a confidential one, kept to the minute, sorts above this hour's).
        await handler.Locator($"[data-testid=case-row][data-reference='{reference}']").ClickAsync();
        await handler.Locator("[data-testid=report-description]", new() { HasText = marker }).WaitForAsync();
        Assert.Equal("Received", (await handler.InnerTextAsync("[data-testid=case-status]")).Trim());

        await handler.ClickAsync("[data-testid=transition-Acknowledge]");
        await handler.Locator("[data-testid=case-status]", new() { HasText = "Acknowledged" }).WaitForAsync();
        await handler.Locator("[data-testid=message-input]").FillAsync("Thank you for telling us. Which data centre is involved?");
        await handler.ClickAsync("[data-testid=send-message]");
        await handler.Locator("[data-testid=case-message]", new() { HasText = "Which data centre" }).WaitForAsync();

        // The reporter reads the answer.
        await reporter.GotoAsync("/followup");
        await reporter.FillAsync("[data-testid=receipt-input]", receipt);
        await reporter.ClickAsync("[data-testid=receipt-submit]");
        Assert.Equal("Acknowledged", (await reporter.InnerTextAsync("[data-testid=case-status]")).Trim());
        Assert.Contains("Which data centre is involved?", await reporter.Locator("[data-testid=message]").AllInnerTextsAsync() is var texts ? string.Join("\n", texts) : "", StringComparison.Ordinal);

        await handler.Context.CloseAsync();
        await reporter.Context.CloseAsync();
    }
}
