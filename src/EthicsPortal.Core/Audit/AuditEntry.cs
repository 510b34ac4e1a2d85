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
/// What a caller asks the audit log to record. <paramref name="HourOnly"/> keeps only the hour of a reporter's
/// action: an exact time could be matched against badge, proxy or VPN logs.
/// </summary>
public sealed record AuditRecord(string Actor, string Action, string Subject, string? Details = null, bool HourOnly = false);

/// <summary>Well-known actors, so that entries read the same everywhere.</summary>
public static class AuditActors
{
    /// <summary>Any reporter, anonymous or not: the chain never says which reporter acted.</summary>
    public const string Reporter = "reporter";
    public const string System = "system";
    public const string Anonymous = "anonymous";

    public static string Staff(string userId) => $"staff:{userId}";
}
