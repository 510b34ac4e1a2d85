namespace EthicsPortal.Core.Cases;

public enum MessageAuthor { Reporter, Committee }

/// <summary>A message between the committee and the reporter; the body is encrypted.</summary>
public sealed class CaseMessage : ICaseOrdered
{
    public const int BodyMaxLength = 10_000;

    private CaseMessage() { }

    public long Id { get; private set; }
    public int CaseId { get; private set; }
    public int Seq { get; private set; }
    int ICaseOrdered.Seq { get => Seq; set => Seq = value; }
    public MessageAuthor Author { get; private set; }

    /// <summary>The handler who wrote it; never shown to the reporter, who sees "the ethics committee".</summary>
    public string? StaffUserId { get; private set; }

    public DateTimeOffset At { get; private set; }
    public byte[] BodyCiphertext { get; private set; } = [];

    internal static CaseMessage FromReporter(byte[] body, DateTimeOffset at) => new() { Author = MessageAuthor.Reporter, BodyCiphertext = body, At = at };

    internal static CaseMessage FromCommittee(string staffUserId, byte[] body, DateTimeOffset at)
        => new() { Author = MessageAuthor.Committee, StaffUserId = staffUserId, BodyCiphertext = body, At = at };
}

/// <summary>The reporter's answer to "Since you reported, have you been treated worse at work because of it?"</summary>
public sealed class RetaliationCheckIn
{
    public const int DetailsMaxLength = 5_000;

    private RetaliationCheckIn() { }

    internal RetaliationCheckIn(int receivedMonth, int day, bool treatedWorse, byte[]? detailsCiphertext, DateTimeOffset answeredAt)
    {
        ReceivedMonth = receivedMonth;
        Day = day;
        TreatedWorse = treatedWorse;
        DetailsCiphertext = detailsCiphertext;
        AnsweredAt = answeredAt;
    }

    public int CaseId { get; private set; }

    /// <summary>The case's month of receipt (yyyyMM), copied so insights count check-ins without joining the cases.</summary>
    public int ReceivedMonth { get; private set; }

    /// <summary>The concern's month for insights, once its case left screening (<see cref="Case.ReceivedMonth"/>).</summary>
    internal void CountIn(int month) => ReceivedMonth = month;

    public int Day { get; private set; }
    public bool TreatedWorse { get; private set; }
    public byte[]? DetailsCiphertext { get; private set; }
    public DateTimeOffset AnsweredAt { get; private set; }
}
