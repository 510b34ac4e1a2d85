namespace EthicsPortal.Core.Cases;

/// <summary>The words of a report; stored only encrypted, as JSON.</summary>
public sealed record CaseReport(string Customer, string Description, string WhenWhere, HowKnown HowKnown, string PeopleInvolved);

/// <summary>A confidential reporter's identity; stored only encrypted. Absent for anonymous reports.</summary>
public sealed record ReporterIdentity(string Name, string Contact, string? UserId);
