namespace EthicsPortal.Core.Retention;

/// <summary>How retention runs. The period itself is per queue (<see cref="Cases.Queue.RetentionDays"/>).</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Days before erasure at which the chair is warned, so there is time to place a legal hold.</summary>
    public int WarningDays { get; set; } = 14;

    /// <summary>How often the background service looks for cases to warn about or erase.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
