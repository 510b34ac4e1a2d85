using EthicsPortal.Core.Cases;

namespace EthicsPortal.Web.Components.Report;

/// <summary>The concern form as posted; the page maps it to a ConcernSubmission, never to an entity.</summary>
public sealed class ReportInput
{
    public const string Anonymous = "anonymous";
    public const string Confidential = "confidential";

    public string Mode { get; set; } = Anonymous;
    public bool UseAccount { get; set; }
    public string? Name { get; set; }
    public string? Contact { get; set; }
    public string? Customer { get; set; }
    public string? ProductKey { get; set; }
    public string? MisuseTypeKey { get; set; }
    public string? Description { get; set; }
    public string? WhenWhere { get; set; }
    public HowKnown HowKnown { get; set; } = HowKnown.NotSaid;
    public OngoingHarm Ongoing { get; set; } = OngoingHarm.Unknown;
    public string? PeopleInvolved { get; set; }
}

/// <summary>The second step: the reporter confirms the receipt is saved before leaving.</summary>
public sealed class ReceiptSavedInput
{
    public bool Saved { get; set; }
}

/// <summary>What the receipt page shows after a submission, carried to its GET in the reporter's own browser only.</summary>
public sealed record ShownReceipt(string Reference, string Receipt, string Proof, IReadOnlyList<EthicsPortal.Core.Intake.RemovedMetadata> Cleaned);
