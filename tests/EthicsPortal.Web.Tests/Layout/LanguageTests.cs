using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using EthicsPortal.Tests.Shared;

namespace EthicsPortal.Web.Tests.Layout;

/// <summary>English, German and Arabic: every key in every language, and the picker that remembers only the language.</summary>
public sealed partial class LanguageTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> ResourceFiles => new()
    {
        { "src/EthicsPortal.Web/Resources/ReporterText", "de" },
        { "src/EthicsPortal.Web/Resources/ReporterText", "ar" },
        { "src/EthicsPortal.Web/Resources/StaffText", "de" },
        { "src/EthicsPortal.Web/Resources/StaffText", "ar" },
        { "src/EthicsPortal.Core/Resources/ReporterMessages", "de" },
        { "src/EthicsPortal.Core/Resources/ReporterMessages", "ar" },
    };

    private static string Root()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "EthicsPortal.sln")))
            root = root.Parent ?? throw new InvalidOperationException("repository root not found");
        return root.FullName;
    }

    private static Dictionary<string, string> Entries(string path)
        => XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

    [GeneratedRegex(@"\{\d+(:[^}]*)?\}")]
    private static partial Regex Placeholder();

    [Theory]
    [MemberData(nameof(ResourceFiles))]
    public void EveryKey_IsTranslated_WithTheSamePlaceholders(string resource, string language)
    {
        var english = Entries(Path.Combine(Root(), resource + ".resx"));
        var translated = Entries(Path.Combine(Root(), $"{resource}.{language}.resx"));

        Assert.Empty(english.Keys.Except(translated.Keys));   // missing in this language
        Assert.Empty(translated.Keys.Except(english.Keys));   // left over after an English key was removed
        foreach (var (key, text) in english)
        {
            Assert.False(string.IsNullOrWhiteSpace(translated[key]), $"{key} is empty in {language}");
            Assert.Equal(Placeholder().Matches(text).Select(m => m.Value).Order(), Placeholder().Matches(translated[key]).Select(m => m.Value).Order());
        }
    }

    [GeneratedRegex("""\bShell\["([A-Za-z][A-Za-z0-9.]+)"\]""")]
    private static partial Regex ShellKeyUse();

    [Fact]
    public void StaffText_HasEveryKeyTheShellUses()
    {
        var keys = Entries(Path.Combine(Root(), "src/EthicsPortal.Web/Resources/StaffText.resx")).Keys.ToHashSet();
        var used = Directory.EnumerateFiles(Path.Combine(Root(), "src/EthicsPortal.Web/Components"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(f => ShellKeyUse().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).Distinct().ToList();

        Assert.True(used.Count >= 15, $"only {used.Count} keys found: the scan is broken");
        Assert.DoesNotContain(used, k => !keys.Contains(k));
    }

    [Fact]
    public async Task ChoosingGerman_TranslatesTheReporterPages_AndTheCookieHoldsOnlyTheLanguage()
    {
        using var client = factory.CreateBrowserlikeClient();

        using var choose = await client.GetAsync("/language/de?returnUrl=%2Freport", Ct);
        var report = await client.GetStringAsync("/report", Ct);

        Assert.Equal("/report", choose.Headers.Location?.OriginalString);
        var cookie = Assert.Single(choose.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("ep-lang=c%3Dde%7Cuic%3Dde;", cookie, StringComparison.Ordinal);   // "c=de|uic=de" and nothing else
        Assert.DoesNotContain("expires", cookie, StringComparison.OrdinalIgnoreCase);       // forgotten with the browser session
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<html lang=\"de\" dir=\"ltr\">", report, StringComparison.Ordinal);
        Assert.Contains("Meldung", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arabic_IsRightToLeft()
    {
        using var client = factory.CreateBrowserlikeClient();
        using (await client.GetAsync("/language/ar?returnUrl=%2Ffollowup", Ct)) { }

        var page = await client.GetStringAsync("/followup", Ct);

        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", page, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"true\" data-testid=\"language-ar\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrowserLanguage_IsUsed_AndAnUnsupportedOneFallsBackToEnglish()
    {
        using var german = factory.CreateBrowserlikeClient();
        german.DefaultRequestHeaders.AcceptLanguage.ParseAdd("de-DE,de;q=0.9");
        using var french = factory.CreateBrowserlikeClient();
        french.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-FR");

        Assert.Contains("<html lang=\"de\"", await german.GetStringAsync("/report", Ct), StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\" dir=\"ltr\">", await french.GetStringAsync("/report", Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/language/fr?returnUrl=%2Freport", HttpStatusCode.NotFound, null)]
    [InlineData("/language/de?returnUrl=https%3A%2F%2Fevil.test%2F", HttpStatusCode.Redirect, "/")]
    [InlineData("/language/de?returnUrl=%2F%2Fevil.test", HttpStatusCode.Redirect, "/")]
    public async Task LanguageLinks_RefuseOtherLanguagesAndForeignReturnAddresses(string url, HttpStatusCode status, string? location)
    {
        using var client = factory.CreateBrowserlikeClient();

        using var response = await client.GetAsync(url, Ct);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task LanguagePicker_LinksCarryThePathOnly_NeverTheQuery()
    {
        using var client = factory.CreateBrowserlikeClient();

        var page = await client.GetStringAsync("/report?something=secret", Ct);

        var picker = page[page.IndexOf("data-testid=\"language-picker\"", StringComparison.Ordinal)..];
        picker = picker[..picker.IndexOf("</nav>", StringComparison.Ordinal)];
        Assert.Contains("href=\"/language/de?returnUrl=%2Freport\"", picker, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", picker, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de", "Massenüberwachung der Zivilbevölkerung", "KI-Dienste")]
    [InlineData("ar", "مراقبة جماعية للمدنيين", "خدمات الذكاء الاصطناعي")]
    public async Task ReportForm_EveryOptionAReporterPicks_IsInTheirLanguage(string language, string misuse, string product)
    {
        using var client = factory.CreateBrowserlikeClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/report", Ct));
        var english = Entries(Path.Combine(Root(), "src/EthicsPortal.Web/Resources/ReporterText.resx"));

        Assert.Contains(misuse, page, StringComparison.Ordinal);
        Assert.Contains(product, page, StringComparison.Ordinal);
        // Every product and misuse type shipped in appsettings.json has words in this language: none shows in English.
        var settings = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root(), "appsettings.json"), Ct)).RootElement.GetProperty("Intake");
        foreach (var (list, prefix) in new[] { ("Products", "Product"), ("MisuseTypes", "Misuse") })
        {
            foreach (var option in settings.GetProperty(list).EnumerateArray())
            {
                var key = $"{prefix}.{option.GetProperty("Key").GetString()}";
                Assert.True(english.ContainsKey(key), $"{key} has no entry in ReporterText.resx");
                var label = option.GetProperty("Label").GetString()!;
                Assert.DoesNotContain($">{label}</option>", page, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Inbox_InGerman_WritesDatesTheGermanWay()
    {
        using var client = factory.CreateBrowserlikeClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("de");
        using var submitted = await Forms.SubmitConcernAsync(client, Forms.Concern());
        var receipt = Forms.TestId(await submitted.Content.ReadAsStringAsync(Ct), "receipt")!;
        using (await Forms.PostAsync(client, "/followup", "receipt", new Dictionary<string, string> { ["ReceiptInput.Receipt"] = receipt })) { }
        var inbox = WebUtility.HtmlDecode(await client.GetStringAsync("/followup", Ct));

        Assert.Matches(@"^\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}$", Forms.TestId(inbox, "received-on"));
    }

    [Theory]
    [InlineData("%2F%0Aenv%3B")]
    [InlineData("%2F%00x")]
    [InlineData("%2F%09x")]
    [InlineData("%2F%E3%80%82evil.example")]
    public async Task LanguageLink_WithAControlOrLookAlikeCharacterInTheReturnPath_GoesHomeNeverA500(string returnUrl)
    {
        using var client = factory.CreateBrowserlikeClient();

        using var response = await client.GetAsync($"/language/de?returnUrl={returnUrl}", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", PortalFactory.PathOf(response));
    }
}
