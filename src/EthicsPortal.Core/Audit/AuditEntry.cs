namespace EthicsPortal.Core.Audit;

/// <summary>
/// One link of the append-only audit chain. <see cref="Hash"/> is SHA-256 over the previous hash and the
/// canonical form of this entry, so editing, deleting or reordering any entry breaks every hash after it.
/// Entries never hold report content, receipts or anything that identifies an anonymous reporter.
/// </summary>
public sealed class AuditEntry
{
    public const int ActorMaxLength = 200;
    public const int ActionMaxLength = 100;
    public const int SubjectMaxLength = 200;
    public const int DetailsMaxLength = 2000;

    public long Id { get; set; }
    public long Sequence { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string Subject { get; set; } = "";
    public string? Details { get; set; }
    public string PreviousHash { get; set; } = "";
    public string Hash { get; set; } = "";
}

/// <summary>
/// What a caller asks the audit log to record. <paramref name="HourOnly"/> is for a reporter's action: it keeps only
/// the hour, and it joins the chain only in that hour's batch (<see cref="PendingAuditEntry"/>), since an exact time
/// could be matched against badge, proxy or VPN logs, and so could its place between staff entries.
/// </summary>
public sealed record AuditRecord(string Actor, string Action, string Subject, string? Details = null, bool HourOnly = false);

/// <summary>
/// A reporter's audit entry waiting for its hour to end. It is saved in the same transaction as what it records (so
/// it can never be lost), and joins the chain with the rest of its hour, in the order of its random key, with the
/// first append after the hour (or the hourly tick): its place in the chain then says nothing of its minute.
/// </summary>
public sealed class PendingAuditEntry
{
    public Guid Id { get; set; }
    public DateTimeOffset Hour { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string Subject { get; set; } = "";
    public string? Details { get; set; }
}

/// <summary>Well-known actors, so that entries read the same everywhere.</summary>
public static class AuditActors
{
    /// <summary>Any reporter, anonymous or not: the chain never says which reporter acted.</summary>
    public const string Reporter = "reporter";
    public const string System = "system";
    public const string Anonymous = "anonymous";

    public static string Staff(string userId) => $"staff:{userId}";
}
