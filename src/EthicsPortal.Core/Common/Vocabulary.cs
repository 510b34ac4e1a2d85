using System.Globalization;
using System.Resources;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Notifications;

namespace EthicsPortal.Core.Common;

/// <summary>
/// Every word a person reads for a code: statuses, moves, outcomes, actions, event kinds, answer options and so on.
/// One table here, the words in Resources/Vocabulary.resx under "Type.Value", so no enum name ever reaches a page,
/// an export or a notice. A test checks that every value of every listed type has its words.
/// </summary>
public static class Vocabulary
{
    private static readonly ResourceManager Resources = new("EthicsPortal.Core.Resources.Vocabulary", typeof(Vocabulary).Assembly);

    /// <summary>The vocabularies, each an enum whose every value has a resource key.</summary>
    public static readonly IReadOnlyList<Type> Types =
    [
        typeof(CaseStatus), typeof(ReportChannel), typeof(OngoingHarm), typeof(HowKnown), typeof(CasePriority),
        typeof(CaseOutcome), typeof(ActionKind), typeof(CaseEventKind), typeof(CaseMove), typeof(ExclusionSource),
        typeof(MessageAuthor), typeof(NotificationKind),
    ];

    /// <summary>What each move does: the status it leads to, and the reason recorded when the member gives none.</summary>
    public static readonly IReadOnlyDictionary<CaseMove, (CaseStatus Target, string DefaultReasonKey)> Moves = new Dictionary<CaseMove, (CaseStatus, string)>
    {
        [CaseMove.Acknowledge] = (CaseStatus.Acknowledged, "CaseMove.Acknowledge.Reason"),
        [CaseMove.StartTriage] = (CaseStatus.Triage, "CaseMove.StartTriage.Reason"),
        [CaseMove.StartInvestigation] = (CaseStatus.Investigating, "CaseMove.StartInvestigation.Reason"),
        [CaseMove.Refer] = (CaseStatus.Referred, "CaseMove.Refer.Reason"),
        [CaseMove.Reopen] = (CaseStatus.Reopened, "CaseMove.Reopen.Reason"),
    };

    public static string Key<TEnum>(TEnum value) where TEnum : struct, Enum => $"{typeof(TEnum).Name}.{value}";

    /// <summary>The words for a code, in the current UI culture; a missing key is a bug and throws.</summary>
    public static string Text<TEnum>(TEnum value) where TEnum : struct, Enum => Lookup(Key(value));

    /// <summary>The words for any key in the table (a move's default reason, for example).</summary>
    public static string Lookup(string key)
        => Resources.GetString(key, CultureInfo.CurrentUICulture)
           ?? throw new InvalidOperationException($"'{key}' is missing from Vocabulary.resx.");

    public static string DefaultReason(CaseMove move) => Lookup(Moves[move].DefaultReasonKey);

    /// <summary>Whether the table has words for this key (used by the completeness test).</summary>
    public static bool Has(string key) => Resources.GetString(key, CultureInfo.InvariantCulture) is not null;
}
