using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Admin;

/// <summary>The Admin's queue and audit pages name people, never account ids, and routing rules can be edited and moved.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class AdminPagesFlowTests(BrowserFixture browser)
{
    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();

    private static async Task<string[]> RuleIdsAsync(IPage page)
    {
        var ids = new List<string>();
        foreach (var row in await page.Locator("[data-testid=rule]").AllAsync())
            ids.Add(await row.GetAttributeAsync("data-rule") ?? "");
        return [.. ids];
    }

    [Fact]
    public async Task Queues_ShowMemberNames_ARuleIsMovedUpAndEdited_AuditNamesTheActor()
    {
        var page = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "admin@demo.local");
        await page.GotoAsync("/admin/queues");
        await page.WaitForSelectorAsync("[data-testid=interactive]", new() { State = WaitForSelectorState.Attached });
        // Hana is a member of the default queue; the list names her.
        await page.Locator("[data-testid=queue]").First.WaitForAsync();
        var shown = string.Join("\n", await page.Locator("[data-testid=queue] input").EvaluateAllAsync<string[]>("els => els.map(e => e.value)"))
                    + string.Join("\n", await page.Locator("[data-testid=queue]").AllInnerTextsAsync());
        Assert.Contains("Hana Handler", shown, StringComparison.Ordinal);
        Assert.DoesNotMatch(Guid(), shown);

        // Two rules: each new one lands last, then the last is moved up and edited.
        foreach (var (misuse, ongoing) in new[] { ("Acceptable-use breach", "Yes, still going on"), ("Other", "No, it has stopped") })
        {
            var count = await page.Locator("[data-testid=rule]").CountAsync();
            await page.ClickAsync("[data-testid=rule-misuse]");
            await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = misuse }).ClickAsync();
            await page.ClickAsync("[data-testid=rule-ongoing]");
            await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = ongoing }).ClickAsync();
            await page.ClickAsync("[data-testid=rule-add]");
            await page.Locator("[data-testid=rule]").Nth(count).WaitForAsync();
        }
        Assert.Contains("No, it has stopped", await page.Locator("[data-testid=rule]").Last.InnerTextAsync(), StringComparison.Ordinal);   // words, not the code "No"

        var before = await RuleIdsAsync(page);
        var last = page.Locator("[data-testid=rule]").Last;
        await last.Locator("[data-testid=rule-up]").ClickAsync();
        await page.WaitForFunctionAsync("id => document.querySelectorAll('[data-testid=rule]')[document.querySelectorAll('[data-testid=rule]').length - 2]?.dataset.rule === id", before[^1]);
        var after = await RuleIdsAsync(page);
        Assert.Equal([.. before[..^2], before[^1], before[^2]], after);

        // Edit the last rule's priority; it keeps its place.
        await page.Locator("[data-testid=rule]").Last.Locator("[data-testid=rule-edit]").ClickAsync();
        await page.ClickAsync("[data-testid=rule-priority]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Low" }).ClickAsync();
        await page.ClickAsync("[data-testid=rule-save]");
        await page.Locator("[data-testid=rule]").Last.Locator("td", new() { HasTextString = "Low" }).WaitForAsync();
        Assert.Equal(after, await RuleIdsAsync(page));

        // How long the default queue keeps closed cases, set from the page and read back after a reload.
        var retention = page.Locator("input[data-testid=queue-retention], [data-testid=queue-retention] input").First;
        await retention.FillAsync("400");
        await page.Locator("[data-testid=queue-retention-save]").First.ClickAsync();
        await page.Locator("[data-testid=queues-notice]", new() { HasText = "400 days" }).WaitForAsync();
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("[data-testid=interactive]", new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid=queue]").First.WaitForAsync();
        Assert.Equal("400", await page.Locator("input[data-testid=queue-retention], [data-testid=queue-retention] input").First.InputValueAsync());

        await page.GotoAsync("/admin/audit");
        await page.Locator("[data-testid=audit-row]").First.WaitForAsync();
        var actors = string.Join("\n", await page.Locator("[data-testid=audit-actor]").AllInnerTextsAsync());
        Assert.DoesNotMatch(Guid(), actors);
        Assert.Contains("admin@demo.local", actors, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
