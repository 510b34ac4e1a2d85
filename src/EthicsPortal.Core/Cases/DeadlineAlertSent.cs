namespace EthicsPortal.Core.Cases;

public enum DeadlinePeriod { Acknowledge, Feedback }

/// <summary>Remembers that the alert for a threshold was sent, so each goes out once.</summary>
public sealed class DeadlineAlertSent
{
    private DeadlineAlertSent() { }

    public DeadlineAlertSent(int caseId, DeadlinePeriod period, int percent, DateTimeOffset at)
    {
        CaseId = caseId;
        Period = period;
        Percent = percent;
        At = at;
    }

    public int CaseId { get; private set; }
    public DeadlinePeriod Period { get; private set; }
    public int Percent { get; private set; }
    public DateTimeOffset At { get; private set; }
}
