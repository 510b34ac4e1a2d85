using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace EthicsPortal.Web.Tests.Layout;

/// <summary>Every reporter-facing string a page asks for by key must exist in Resources/ReporterText.resx.</summary>
public sealed partial class ReporterTextTests
{
    [GeneratedRegex("""\b(?:T|Text|text)\["([A-Za-z][A-Za-z0-9.]+)"[\],]""")]
    private static partial Regex KeyUse();

    [Fact]
    public void ReporterText_HasEveryKeyThePagesUse()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "EthicsPortal.sln")))
            root = root.Parent ?? throw new InvalidOperationException("repository root not found");
        var web = Path.Combine(root.FullName, "src/EthicsPortal.Web");
        var keys = XDocument.Load(Path.Combine(web, "Resources/ReporterText.resx")).Root!.Elements("data")
            .Select(d => (string)d.Attribute("name")!).ToHashSet();
        var used = Directory.EnumerateFiles(web, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => KeyUse().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Distinct().ToList();

        Assert.True(used.Count > 80, $"only {used.Count} keys found: the scan is broken");
        Assert.DoesNotContain(used, k => !keys.Contains(k));
    }
}
