namespace EthicsPortal.Core.Cases;

/// <summary>The workflow states; stored as strings so the database reads plainly and survives reordering.</summary>
public enum CaseStatus { Received, Acknowledged, Triage, Investigating, Referred, Rejected, Closed, Reopened }

/// <summary>How a concern reached the committee: the web form (anonymous or confidential) or a handler taking it down.</summary>
public enum ReportChannel { WebAnonymous, WebConfidential, Operator }

public enum OngoingHarm { Unknown, Yes, No }

public enum HowKnown { NotSaid, SawIt, WasTold, Documents }

public enum CasePriority { Low, Normal, High, Urgent }

public enum CaseOutcome { Substantiated, PartlySubstantiated, NotSubstantiated, OutOfScope }

public enum ActionKind { ServicesSuspended, ServicesTerminated, ContractReview, PolicyChange, ReferredToAuthorities, Other }

public enum CaseEventKind
{
    StatusChanged, Assigned, Reassigned, Rerouted, PriorityChanged, Excluded, CustomerLinked, PatternFlagged, IdentityRevealed, Linked,
    LegalHoldPlaced, LegalHoldReleased, Erased, Screened, IdentityRequested, IdentityRequestApproved, IdentityRequestRefused,
}
