using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Customers;

public sealed record CustomerSummary(int Id, string Name, IReadOnlyList<string> Aliases, IReadOnlyList<string> AccountTeamIds, int CaseCount);

public sealed record CustomerInput(string Name, IReadOnlyList<string> Aliases, IReadOnlyList<string> AccountTeamIds);

/// <summary>The customer registry (Admin and Chair), and matching a concern's free text to customers.</summary>
public sealed class CustomerService(IDbContextFactory<EthicsDbContext> contexts, CaseAccess access, AuditLog audit)
{
    public async Task<IReadOnlyList<CustomerSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await ListAsync(db, ct);
    }

    /// <summary>The registry read in a context the caller holds (the case page reads everything in one).</summary>
    internal static async Task<IReadOnlyList<CustomerSummary>> ListAsync(EthicsDbContext db, CancellationToken ct)
    {
        var customers = await db.Customers.AsNoTracking().Include(c => c.Aliases).Include(c => c.AccountTeam).OrderBy(c => c.Name).ToListAsync(ct);
        var counts = await db.Cases.Where(c => c.CustomerId != null).GroupBy(c => c.CustomerId!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return customers.Select(c => new CustomerSummary(c.Id, c.Name, c.Aliases.Select(a => a.Alias).ToList(),
            c.AccountTeam.Select(m => m.UserId).ToList(), counts.GetValueOrDefault(c.Id))).ToList();
    }

    /// <summary>Customers whose name or alias appears in (or contains) what the reporter wrote, best first.</summary>
    public async Task<IReadOnlyList<CustomerSummary>> SuggestAsync(string? text, CancellationToken ct = default)
    {
        var needle = text?.Trim() ?? "";
        return needle.Length < 2 ? [] : Suggest(await ListAsync(ct), needle);
    }

    internal static IReadOnlyList<CustomerSummary> Suggest(IReadOnlyList<CustomerSummary> all, string? text)
    {
        var needle = text?.Trim() ?? "";
        if (needle.Length < 2)
            return [];
        return all.Where(c => Matches(c.Name, needle) || c.Aliases.Any(a => Matches(a, needle)))
            .OrderByDescending(c => string.Equals(c.Name, needle, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    private static bool Matches(string name, string text)
        => name.Contains(text, StringComparison.OrdinalIgnoreCase) || text.Contains(name, StringComparison.OrdinalIgnoreCase);

    public async Task<Result<int>> SaveAsync(int? id, CustomerInput input, string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await CaseAccess.HasRoleAsync(db, actorId, Roles.Chair, ct) && !await CaseAccess.HasRoleAsync(db, actorId, Roles.Admin, ct))
            return Error.Forbidden("Only the chair and administrators manage customers.");
        var name = input.Name.Trim();
        if (name.Length == 0 || name.Length > Customer.NameMaxLength)
            return Error.Validation($"Give a name of at most {Customer.NameMaxLength} characters.");
        if (await db.Customers.AnyAsync(c => c.Name == name && c.Id != id, ct))
            return Error.Validation("A customer with this name exists already.");
        Customer customer;
        if (id is { } existing)
        {
            var found = await db.Customers.Include(c => c.Aliases).Include(c => c.AccountTeam).FirstOrDefaultAsync(c => c.Id == existing, ct);
            if (found is null)
                return Error.NotFound("No such customer.");
            customer = found;
            customer.Rename(name);
        }
        else
        {
            customer = new Customer(name);
            db.Customers.Add(customer);
        }
        customer.SetAliases(input.Aliases.Where(a => a.Length <= Customer.NameMaxLength));
        customer.SetAccountTeam(input.AccountTeamIds);
        await audit.SaveChangesAsync(db, [new AuditRecord(AuditActors.Staff(actorId), id is null ? "customer.created" : "customer.changed",
            $"customer:{name}", $"team={input.AccountTeamIds.Count}")], ct);
        return customer.Id;
    }

    /// <summary>The cases about a customer that this person may see (the rest stay invisible, not even counted).</summary>
    public async Task<IReadOnlyList<CaseRow>> CasesAsync(int customerId, string actorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actor = await access.ActorAsync(db, actorId, ct);
        return await CaseQueries.Rows(access.Visible(db, actor).Where(c => c.CustomerId == customerId).OrderByDescending(c => c.ReceivedAt), db)
            .ToListAsync(ct);
    }
}
