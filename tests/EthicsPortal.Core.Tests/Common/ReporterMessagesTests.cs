using System.Text.RegularExpressions;
using System.Xml.Linq;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Intake.Evidence;

namespace EthicsPortal.Core.Tests.Common;

/// <summary>Reporter-facing messages made in Core live in a resource file; every key the code asks for must be in it.</summary>
public sealed partial class ReporterMessagesTests
{
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EthicsPortal.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("repository root not found");
    }

    [GeneratedRegex("\"((?:Evidence|Kind|Upload|Intake|FollowUp)\\.[A-Za-z.]+)\"")]
    private static partial Regex KeyLiteral();

    [Fact]
    public void Resx_HasEveryKeyTheCoreSourceUses()
    {
        var root = RepoRoot();
        var resx = XDocument.Load(Path.Combine(root, "src/EthicsPortal.Core/Resources/ReporterMessages.resx"));
        var keys = resx.Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet();
        var used = Directory.EnumerateFiles(Path.Combine(root, "src/EthicsPortal.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("Migrations", StringComparison.Ordinal))
            .SelectMany(f => KeyLiteral().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Concat(Enum.GetNames<EvidenceKind>().Select(k => $"Kind.{k}"))
            .Distinct().ToList();

        Assert.True(used.Count > 40, $"only {used.Count} keys found: the scan is broken");
        Assert.DoesNotContain(used, k => !keys.Contains(k));
    }

    [Fact]
    public void Text_FormatsArguments_AndAMissingKeyFailsLoudly()
    {
        Assert.Equal("“a.exe” is empty, so there is nothing to attach.", ReporterMessages.Text("Evidence.Empty", "a.exe"));
        Assert.Throws<InvalidOperationException>(() => ReporterMessages.Text("Evidence.NoSuchKey"));
    }
}
