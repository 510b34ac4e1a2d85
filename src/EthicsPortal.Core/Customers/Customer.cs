namespace EthicsPortal.Core.Customers;

/// <summary>A customer as a subject of concerns: names it goes by, and the staff on its account team.</summary>
public sealed class Customer
{
    public const int NameMaxLength = 200;

    private readonly List<CustomerAlias> _aliases = [];
    private readonly List<AccountTeamMember> _accountTeam = [];

    private Customer() { }

    public Customer(string name) => Name = name.Trim();

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public IReadOnlyList<CustomerAlias> Aliases => _aliases;
    public IReadOnlyList<AccountTeamMember> AccountTeam => _accountTeam;

    public void Rename(string name) => Name = name.Trim();

    public void SetAliases(IEnumerable<string> aliases)
    {
        _aliases.Clear();
        _aliases.AddRange(aliases.Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Select(a => new CustomerAlias(a)));
    }

    public void SetAccountTeam(IEnumerable<string> userIds)
    {
        _accountTeam.Clear();
        _accountTeam.AddRange(userIds.Distinct(StringComparer.Ordinal).Select(id => new AccountTeamMember(id)));
    }
}

public sealed class CustomerAlias
{
    private CustomerAlias() { }

    internal CustomerAlias(string alias) => Alias = alias;

    public int Id { get; private set; }
    public int CustomerId { get; private set; }
    public string Alias { get; private set; } = "";
}

public sealed class AccountTeamMember
{
    private AccountTeamMember() { }

    internal AccountTeamMember(string userId) => UserId = userId;

    public int CustomerId { get; private set; }
    public string UserId { get; private set; } = "";
}
