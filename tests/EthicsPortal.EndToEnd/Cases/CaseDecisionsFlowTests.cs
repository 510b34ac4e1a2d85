using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Cases;

/// <summary>The case page as members use it: revealing a confidential identity, and closing with a decision.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CaseDecisionsFlowTests(BrowserFixture browser)
{
    /// <summary>A concern sent from the reporter page with JavaScript off; returns its reference.</summary>
    private async Task<string> ReportAsync(string marker, bool confidential)
    {
        var reporter = await browser.NewPageAsync(javaScript: false);
        await reporter.GotoAsync("/report");
        if (confidential)
        {
            await reporter.CheckAsync("[data-testid=mode-confidential]");
            await reporter.FillAsync("[data-testid=name]", "Dana Whistle");
            await reporter.FillAsync("[data-testid=contact]", "dana.whistle@example.org");
        }
        await reporter.SelectOptionAsync("[data-testid=product]", "cloud-storage");
        await reporter.SelectOptionAsync("[data-testid=misuse-type]", "mass-surveillance");
        await reporter.FillAsync("[data-testid=description]", $"{marker}: call recordings of civilians kept in a bucket.");
        await reporter.CheckAsync("[data-testid=ongoing-yes]");
        await reporter.ClickAsync("[data-testid=submit]");
        var reference = await reporter.Locator("[data-testid=receipt-panel]").GetAttributeAsync("data-reference");
        await reporter.Context.CloseAsync();
        return reference ?? throw new InvalidOperationException("no reference on the receipt page");
    }

    private static async Task OpenCaseAsync(IPage page, string reference)
    {
        await page.GotoAsync("/cases");
        await page.Locator($"[data-testid=case-row][data-reference='{reference}']").ClickAsync();
        await page.Locator("[data-testid=case-status]").WaitForAsync();
    }

    [Fact]
    public async Task Reveal_TheHandlerIsToldToAskTheChair_TheChairConfirmsWithPassword_AndWrongTriesPauseRevealButNeverTheSignIn()
    {
        var reference = await ReportAsync($"Reveal {Guid.NewGuid():N}"[..20], confidential: true);
        var second = await ReportAsync($"Reveal {Guid.NewGuid():N}"[..20], confidential: true);

        // The identity's key is sealed to the custodians (the chair): a handler reads the case, not who sent it.
        var handler = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(handler, "handler@demo.local");
        await OpenCaseAsync(handler, reference);
        await handler.Locator("[data-testid=identity-custodians-only]").WaitForAsync();
        Assert.Equal(0, await handler.Locator("[data-testid=reveal-identity]").CountAsync());

        var chair = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(chair, "chair@demo.local");
        await OpenCaseAsync(chair, reference);
        await chair.FillAsync("[data-testid=reveal-reason]", "Need to ask which team runs the bucket");
        await chair.FillAsync("[data-testid=reveal-password]", Core.Security.DemoSeeder.DemoPassword);
        await chair.ClickAsync("[data-testid=reveal-identity]");
        var identity = chair.Locator("[data-testid=identity]");
        await identity.WaitForAsync();
        Assert.Contains("Dana Whistle", await identity.InnerTextAsync(), StringComparison.Ordinal);

        // On another concern the chair mistypes six times: the sixth is paused, and the chair can still sign in.
        await OpenCaseAsync(chair, second);
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            await chair.FillAsync("[data-testid=reveal-reason]", "Checking the account team");
            await chair.FillAsync("[data-testid=reveal-password]", $"not-my-password-{attempt}");
            await chair.ClickAsync("[data-testid=reveal-identity]");
            var expected = attempt <= 5 ? "was not right" : "Too many wrong tries";
            await chair.Locator("[data-testid=case-error]", new() { HasText = expected }).WaitForAsync();
            await chair.ClickAsync("[data-testid=case-error] button");   // dismiss, so the next message is new
        }
        Assert.Equal(0, await chair.Locator("[data-testid=identity]").CountAsync());

        var again = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(again, "chair@demo.local");   // not locked out
        Assert.DoesNotContain("/account/login", again.Url, StringComparison.Ordinal);

        await handler.Context.CloseAsync();
        await chair.Context.CloseAsync();
        await again.Context.CloseAsync();
    }

    [Fact]
    public async Task Close_TheOutcomeIsChosenOnPurpose_AndTheClosedCaseShowsItsDecision()
    {
        var reference = await ReportAsync($"Decision {Guid.NewGuid():N}"[..22], confidential: false);
        var handler = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(handler, "handler@demo.local");
        await OpenCaseAsync(handler, reference);
        Assert.Equal("Yes, still going on", (await handler.InnerTextAsync("[data-testid=ongoing]")).Trim());

        await handler.ClickAsync("[data-testid=transition-Acknowledge]");
        await handler.Locator("[data-testid=case-status][data-status=Acknowledged]").WaitForAsync();
        Assert.DoesNotContain("acknowledgement due", await handler.InnerTextAsync("[data-testid=case-dates]"), StringComparison.Ordinal);
        await handler.ClickAsync("[data-testid=transition-StartTriage]");
        await handler.Locator("[data-testid=case-status][data-status=Triage]").WaitForAsync();

        await handler.FillAsync("[data-testid=close-rationale]", "The bucket holds intercepts; the contract forbids it.");
        await handler.FillAsync("[data-testid=close-summary]", "We found the misuse you described and acted on it.");
        await handler.ClickAsync("[data-testid=transition-Close]");
        await handler.Locator("[data-testid=close-outcome-missing]").WaitForAsync();   // no preset outcome
        Assert.Equal("Triage", await handler.Locator("[data-testid=case-status]").GetAttributeAsync("data-status"));

        await handler.ClickAsync("[data-testid=close-outcome]");
        await handler.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Partly substantiated" }).ClickAsync();
        await handler.ClickAsync("[data-testid=close-action-ContractReview]");
        await handler.ClickAsync("[data-testid=transition-Close]");

        var decision = handler.Locator("[data-testid=case-decision]");
        await decision.WaitForAsync();
        var text = await decision.InnerTextAsync();
        Assert.Contains("Partly substantiated", text, StringComparison.Ordinal);
        Assert.Contains("Contract reviewed", text, StringComparison.Ordinal);
        Assert.Contains("the contract forbids it", text, StringComparison.Ordinal);
        Assert.Contains("We found the misuse you described", text, StringComparison.Ordinal);
        var history = await handler.InnerTextAsync("[data-testid=case-history]");
        Assert.DoesNotContain("StatusChanged", history, StringComparison.Ordinal);
        Assert.Contains("Closed", history, StringComparison.Ordinal);
        await handler.Context.CloseAsync();
    }

    [Fact]
    public async Task LegalHold_TheChairPlacesAndReleasesIt_FromTheCasePage()
    {
        var reference = await ReportAsync($"Hold {Guid.NewGuid():N}"[..18], confidential: false);
        var chair = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(chair, "chair@demo.local");
        await OpenCaseAsync(chair, reference);
        Assert.StartsWith("No legal hold", (await chair.InnerTextAsync("[data-testid=legal-hold-status]")).Trim(), StringComparison.Ordinal);

        await chair.FillAsync("[data-testid=legal-hold-reason]", "Litigation notice from the customer's counsel");
        await chair.ClickAsync("[data-testid=legal-hold-place]");
        await chair.Locator("[data-testid=legal-hold-status]", new() { HasText = "Under legal hold" }).WaitForAsync();
        Assert.Contains("Legal hold placed", await chair.InnerTextAsync("[data-testid=case-history]"), StringComparison.Ordinal);

        await chair.FillAsync("[data-testid=legal-hold-reason]", "Litigation settled");
        await chair.ClickAsync("[data-testid=legal-hold-release]");
        await chair.Locator("[data-testid=legal-hold-status]", new() { HasText = "No legal hold" }).WaitForAsync();
        Assert.Contains("Legal hold released", await chair.InnerTextAsync("[data-testid=case-history]"), StringComparison.Ordinal);
        await chair.Context.CloseAsync();
    }
}
