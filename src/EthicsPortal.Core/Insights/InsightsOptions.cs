namespace EthicsPortal.Core.Insights;

/// <summary>Settings for HR and legal insights (appsettings.json "Insights").</summary>
public sealed class InsightsOptions
{
    public const string Section = "Insights";

    /// <summary>
    /// k: a count of fewer than this many concerns is never shown, and a percentage or median drawn from fewer
    /// is hidden too. In a small team a count of one can name a person.
    /// </summary>
    public int SmallCellThreshold { get; set; } = 5;

    /// <summary>Hide zero counts as well. Off by default: a zero names nobody, and hiding it only blurs the table.</summary>
    public bool SuppressZeros { get; set; }

    /// <summary>The threshold in force; anything below 2 would make suppression meaningless, so 2 is the floor.</summary>
    public int K => Math.Max(2, SmallCellThreshold);
}
