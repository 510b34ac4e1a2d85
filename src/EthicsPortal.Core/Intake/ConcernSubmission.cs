using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Intake.Evidence;

namespace EthicsPortal.Core.Intake;

/// <summary>
/// What the reporter sent. For an anonymous report <see cref="Identity"/> is null and nothing about the sender
/// (account, address, browser) is ever passed in.
/// </summary>
public sealed record ConcernSubmission(
    string Customer,
    string ProductKey,
    string MisuseTypeKey,
    string Description,
    string WhenWhere,
    HowKnown HowKnown,
    OngoingHarm Ongoing,
    string PeopleInvolved,
    IReadOnlyList<string> ExcludedMemberIds,
    ReporterIdentity? Identity,
    IReadOnlyList<EvidenceFile> Attachments);

/// <summary>What the reporter is shown once: the receipt is never stored in readable form.</summary>
public sealed record SubmissionReceipt(
    string CaseReference,
    string Receipt,
    Security.SubmissionProof Proof,
    IReadOnlyList<RemovedMetadata> Cleaned);

public sealed record RemovedMetadata(string FileName, IReadOnlyList<string> Removed);

public sealed record CommitteeMember(string UserId, string DisplayName);
