using System.Text.RegularExpressions;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;

namespace EthicsPortal.Core.Tests.Common;

public sealed partial class VocabularyTests
{
    [GeneratedRegex("^[A-Z][a-z]+[A-Z]")]
    private static partial Regex CodeLike();

    [Fact]
    public void EveryValueOfEveryVocabulary_HasWords_AndNoneIsItsCode()
    {
        foreach (var type in Vocabulary.Types)
        {
            foreach (var name in Enum.GetNames(type))
            {
                var key = $"{type.Name}.{name}";
                Assert.True(Vocabulary.Has(key), $"{key} is missing from Vocabulary.resx");
                var text = Vocabulary.Lookup(key);
                Assert.False(CodeLike().IsMatch(text), $"{key} reads like a code: {text}");
            }
        }
    }

    [Fact]
    public void EveryMove_HasATargetAndADefaultReason()
    {
        foreach (var move in Enum.GetValues<CaseMove>())
        {
            Assert.True(Vocabulary.Moves.ContainsKey(move), $"{move} has no row in Vocabulary.Moves");
            Assert.False(string.IsNullOrWhiteSpace(Vocabulary.DefaultReason(move)));
            Assert.Equal(Vocabulary.Moves[move].Target, CaseQueries.Target(move));
        }
        Assert.Equal("Partly substantiated", Vocabulary.Text(CaseOutcome.PartlySubstantiated));
    }
}
