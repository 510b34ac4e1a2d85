namespace EthicsPortal.Core.Cases;

/// <summary>An internal note among the committee; the reporter never sees it. Encrypted.</summary>
public sealed class CaseNote
{
    public const int BodyMaxLength = 10_000;

    private CaseNote() { }

    internal CaseNote(string staffUserId, byte[] bodyCiphertext, DateTimeOffset at)
    {
        StaffUserId = staffUserId;
        BodyCiphertext = bodyCiphertext;
        At = at;
    }

    public long Id { get; private set; }
    public int CaseId { get; private set; }
    public string StaffUserId { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    public byte[] BodyCiphertext { get; private set; } = [];
}

/// <summary>An action taken on closing: against the customer (with the products affected) or otherwise.</summary>
public sealed class CaseAction
{
    public const int ProductsMaxLength = 500;

    private CaseAction() { }

    public CaseAction(ActionKind kind, IReadOnlyList<string> productKeys)
    {
        Kind = kind;
        Products = string.Join(',', productKeys);
    }

    public long Id { get; private set; }
    public int CaseId { get; private set; }
    public ActionKind Kind { get; private set; }

    /// <summary>Product keys affected, comma-separated (e.g. "cloud-storage,ai-services").</summary>
    public string Products { get; private set; } = "";

    /// <summary>The case's month of arrival, copied here so insights count actions from one index, without a join.</summary>
    public int ReceivedMonth { get; private set; }

    /// <summary>Whether the decision it belongs to stands: true while its case is closed, false once reopened.</summary>
    public bool Standing { get; private set; }

    internal void Stand(int receivedMonth) => (ReceivedMonth, Standing) = (receivedMonth, true);

    internal void Withdraw() => Standing = false;
}

/// <summary>Two cases that belong together (same customer, same events).</summary>
public sealed class CaseLink
{
    private CaseLink() { }

    public CaseLink(int caseId, int linkedCaseId, string actor, DateTimeOffset at)
    {
        CaseId = caseId;
        LinkedCaseId = linkedCaseId;
        Actor = actor;
        At = at;
    }

    public int CaseId { get; private set; }
    public int LinkedCaseId { get; private set; }
    public string Actor { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
}
