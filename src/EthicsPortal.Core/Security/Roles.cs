namespace EthicsPortal.Core.Security;

/// <summary>The staff roles. An Employee is a signed-in reporter; every other role is staff.</summary>
public static class Roles
{
    public const string Employee = "Employee";
    public const string Handler = "Handler";
    public const string Chair = "Chair";
    public const string HR = "HR";
    public const string Legal = "Legal";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Employee, Handler, Chair, HR, Legal, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    /// <summary>The roles that see cases, and so may hold their keys.</summary>
    public static bool IsCommittee(string role) => role is Handler or Chair;
}

/// <summary>Named authorization policies, shared by pages and services.</summary>
public static class Policies
{
    public const string Admin = "Admin";
    public const string Committee = "Committee";
    public const string Insights = "Insights";
    public const string Staff = "Staff";
    public const string Customers = "Customers";
}
