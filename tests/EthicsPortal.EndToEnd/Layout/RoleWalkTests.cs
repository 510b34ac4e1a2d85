using System.Text.RegularExpressions;
using System.Xml.Linq;
using EthicsPortal.Core.Common;
using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Layout;

/// <summary>
/// A walk through the portal as each role would take it: no page shows a raw code (an enum name), an account id, or a
/// resource key, and a German or Arabic reporter page shows no English sentence of ours.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class RoleWalkTests(BrowserFixture browser)
{
    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"\b(FollowUp|Report|Receipt|Inbox|Form|Home|Nav|Me|Verify|CheckIn|Status|Shell|Footer|Language|Denied|Upload|Intake)\.[A-Z][A-Za-z]+\b")]
    private static partial Regex ResourceKey();

    /// <summary>Every code of the vocabularies that would betray itself on a page: names with a capital inside.</summary>
    private static readonly string[] Codes = [.. Vocabulary.Types.SelectMany(Enum.GetNames).Where(n => n.Skip(1).Any(char.IsUpper)).Distinct()];

    private static void AssertReadsLikeWords(string text, string where)
    {
        Assert.DoesNotMatch(Guid(), text);
        Assert.False(ResourceKey().IsMatch(text), $"{where} shows the resource key {ResourceKey().Match(text).Value}");
        var code = Codes.FirstOrDefault(c => Regex.IsMatch(text, $@"\b{c}\b"));
        Assert.True(code is null, $"{where} shows the code {code}");
        Assert.DoesNotContain("_notice", text, StringComparison.Ordinal);
    }

    private static string Root()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "EthicsPortal.sln")))
            root = root.Parent ?? throw new InvalidOperationException("repository root not found");
        return root.FullName;
    }

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    [InlineData("ar")]
    public async Task Reporter_JavaScriptOff_EveryPageReadsInTheirLanguage(string language)
    {
        var page = await browser.NewPageAsync(javaScript: false);
        await page.GotoAsync($"/language/{language}?returnUrl=%2F");
        var english = XDocument.Load(Path.Combine(Root(), "src/EthicsPortal.Web/Resources/ReporterText.resx")).Root!.Elements("data")
            .Select(d => (string)d.Element("value")!).Where(v => v.Length > 25 && !v.Contains('{', StringComparison.Ordinal)).ToList();

        async Task CheckAsync(string where)
        {
            var text = await page.InnerTextAsync("body");
            AssertReadsLikeWords(text, where);
            if (language != "en")
            {
                var left = english.FirstOrDefault(e => text.Contains(e, StringComparison.Ordinal));
                Assert.True(left is null, $"{where} in {language} shows English: {left}");
            }
        }

        foreach (var path in new[] { "/", "/report", "/followup", "/verify" })
        {
            await page.GotoAsync(path);
            await CheckAsync(path);
        }
        await page.GotoAsync("/report");
        await page.SelectOptionAsync("[data-testid=product]", "cloud-storage");
        await page.SelectOptionAsync("[data-testid=misuse-type]", "mass-surveillance");
        await page.FillAsync("[data-testid=description]", "Recordings of civilians kept in a bucket.");
        await page.ClickAsync("[data-testid=submit]");
        var receipt = (await page.Locator("[data-testid=receipt]").InnerTextAsync()).Trim();
        await CheckAsync("the receipt page");
        await page.GotoAsync("/followup");
        await page.FillAsync("[data-testid=receipt-input]", receipt);
        await page.ClickAsync("[data-testid=receipt-submit]");
        await page.Locator("[data-testid=inbox]").WaitForAsync();
        await CheckAsync("the inbox");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("handler@demo.local", new[] { "/staff", "/cases", "/notifications", "CASE" })]
    [InlineData("chair@demo.local", new[] { "/staff", "/cases", "/customers", "/insights", "CASE" })]
    [InlineData("hr@demo.local", new[] { "/staff", "/insights" })]
    [InlineData("legal@demo.local", new[] { "/staff", "/insights" })]
    [InlineData("admin@demo.local", new[] { "/staff", "/admin/users", "/admin/queues", "/admin/audit", "/insights" })]
    [InlineData("employee@demo.local", new[] { "/me", "/report" })]
    public async Task Staff_EveryPageOfTheirRole_ReadsLikeWords(string email, string[] paths)
    {
        await browser.ReportAsync("Face matching used to find protesters.", "ai-services", "human-rights-harm");   // a case to open, whatever ran before
        var page = await browser.NewPageAsync();
        await BrowserFixture.SignInAnywhereAsync(page, email);
        foreach (var path in paths)
        {
            if (path == "CASE")
            {
                await page.GotoAsync("/cases");
                var row = page.Locator("[data-testid=case-row]").First;
                await row.WaitForAsync();
                await row.ClickAsync();
                await page.Locator("[data-testid=case-history]").WaitForAsync();
            }
            else
            {
                await page.GotoAsync(path);
                await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
                if (path != "/me" && path != "/report")
                    await page.WaitForSelectorAsync("[data-testid=interactive]", new() { State = WaitForSelectorState.Attached });
                await page.WaitForFunctionAsync("() => !document.querySelector('.mud-progress-linear')");
            }
            AssertReadsLikeWords(await page.InnerTextAsync("body"), $"{path} as {email}");
        }
        await page.Context.CloseAsync();
    }
}
