namespace EthicsPortal.Core.Sealing;

/// <summary>
/// A member who may see a case asks the identity custodians (the chairs) for the confidential reporter's identity. The
/// reason is sealed under the case's key, like every other word about the case; the decision is audited and shown to
/// the member, and on approval the identity's key is sealed to them.
/// </summary>
public sealed class IdentityRequest
{
    private IdentityRequest() { }

    public int Id { get; private set; }
    public int CaseId { get; private set; }
    public string RequesterId { get; private set; } = "";
    public byte[] ReasonCiphertext { get; private set; } = [];
    public DateTimeOffset RequestedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public bool? Approved { get; private set; }

    public bool IsOpen => Approved is null;

    internal static IdentityRequest Create(int caseId, string requesterId, byte[] reasonCiphertext, DateTimeOffset at)
        => new() { CaseId = caseId, RequesterId = requesterId, ReasonCiphertext = reasonCiphertext, RequestedAt = at };

    internal void Decide(string custodianId, bool approved, DateTimeOffset at)
    {
        DecidedBy = custodianId;
        Approved = approved;
        DecidedAt = at;
    }
}
