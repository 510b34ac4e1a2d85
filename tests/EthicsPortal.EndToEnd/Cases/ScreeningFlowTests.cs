using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Intake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Cases;

/// <summary>The chair screens what arrived in a flood: counted on the queue, hidden from handlers, released with one click.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreeningFlowTests(BrowserFixture browser)
{
    [Fact]
    public async Task Chair_ScreensAConcernThatArrivedInAFlood_AndReleasesIt_ThenTheHandlerSeesIt()
    {
        // Stored as the intake gate stores a concern past the hourly shares (the gate itself is tested over HTTP).
        var marker = $"Screened {Guid.NewGuid():N}"[..24];
        var intake = browser.Portal.Services.GetRequiredService<IntakeService>();
        var stored = await intake.SubmitAsync(new ConcernSubmission("Ministry of Interior", "cloud-storage", "mass-surveillance", marker,
            "", HowKnown.SawIt, OngoingHarm.Yes, "", [], null, []), forScreening: true, TestContext.Current.CancellationToken);
        var reference = stored.Value!.CaseReference;
        var (visible, _) = await browser.ReportAsync($"{marker} seen by the queue");   // a concern the queue sees at once, to know the list loaded

        var handler = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(handler, "handler@demo.local");
        await handler.GotoAsync("/cases");
        await handler.Locator($"[data-testid=case-row][data-reference='{visible}']").WaitForAsync();
        Assert.Equal(0, await handler.Locator($"[data-testid=case-row][data-reference='{reference}']").CountAsync());
        Assert.Equal(0, await handler.Locator("[data-testid=screening-count]").CountAsync());

        var chair = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(chair, "chair@demo.local");
        await chair.GotoAsync("/cases");
        await chair.Locator($"[data-testid=case-row][data-reference='{visible}']").WaitForAsync();
        Assert.Equal(0, await chair.Locator($"[data-testid=case-row][data-reference='{reference}']").CountAsync());   // not in the queue itself
        await chair.ClickAsync("[data-testid=screening-show]");
        await chair.Locator("[data-testid=screening-view]").WaitForAsync();
        await chair.Locator($"[data-testid=case-row][data-reference='{reference}']").ClickAsync();
        await chair.Locator("[data-testid=screening-flag]").WaitForAsync();
        Assert.Equal(marker, (await chair.InnerTextAsync("[data-testid=report-description]")).Trim());
        await chair.ClickAsync("[data-testid=screening-release]");
        await chair.Locator("[data-testid=case-notice]", new() { HasText = "Released" }).WaitForAsync();
        Assert.Equal(0, await chair.Locator("[data-testid=screening-flag]").CountAsync());

        await handler.ReloadAsync();
        await handler.Locator($"[data-testid=case-row][data-reference='{reference}']").WaitForAsync();
        await handler.Context.CloseAsync();
        await chair.Context.CloseAsync();
    }
}
