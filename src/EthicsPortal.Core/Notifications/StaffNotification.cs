namespace EthicsPortal.Core.Notifications;

public enum NotificationKind { NewCase, ReporterReplied, DeadlineAlert, Escalation, PatternFlag, RetaliationFlag, IdentityRevealed, RetentionWarning, IdentityRequested, IdentityRequestDecided }

/// <summary>
/// An in-app notice for one staff member. Its text names a case reference and what happened, never report
/// content; it is only ever created for people who may see the case.
/// </summary>
public sealed class StaffNotification
{
    public const int TextMaxLength = 300;

    private StaffNotification() { }

    public StaffNotification(string userId, NotificationKind kind, int? caseId, string text, DateTimeOffset at)
    {
        UserId = userId;
        Kind = kind;
        CaseId = caseId;
        Text = text.Length <= TextMaxLength ? text : text[..TextMaxLength];
        At = at;
    }

    public long Id { get; private set; }
    public string UserId { get; private set; } = "";
    public NotificationKind Kind { get; private set; }
    public int? CaseId { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    public DateTimeOffset? ReadAt { get; private set; }
    public DateTimeOffset? EmailedAt { get; private set; }

    public void MarkRead(DateTimeOffset now) => ReadAt ??= now;

    public void MarkEmailed(DateTimeOffset now) => EmailedAt ??= now;
}
