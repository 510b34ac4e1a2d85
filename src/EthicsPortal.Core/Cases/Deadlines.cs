namespace EthicsPortal.Core.Cases;

/// <summary>EU Directive 2019/1937 periods (art. 9(1)(b) and (f)); in options, not literals.</summary>
public sealed class DeadlineOptions
{
    public const string Section = "Deadlines";

    public int AcknowledgeWithinDays { get; set; } = 7;
    public int FeedbackWithinMonths { get; set; } = 3;
    public int[] CheckInDays { get; set; } = [30, 60, 90];
}

public sealed record CaseDeadlines(DateTimeOffset AcknowledgeBy, DateTimeOffset FeedbackBy)
{
    /// <summary>
    /// Acknowledge within 7 days of receipt; feedback within 3 months of the acknowledgement, or of the end of
    /// the 7-day period when none was sent. AddMonths keeps month ends sane (31 Jan + 1 month = 28/29 Feb).
    /// </summary>
    public static CaseDeadlines For(DateTimeOffset receivedAt, DateTimeOffset? acknowledgedAt, DeadlineOptions options)
    {
        var acknowledgeBy = receivedAt.AddDays(options.AcknowledgeWithinDays);
        var feedbackFrom = acknowledgedAt ?? acknowledgeBy;
        return new CaseDeadlines(acknowledgeBy, feedbackFrom.AddMonths(options.FeedbackWithinMonths));
    }
}
