using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Security;

/// <summary>Idempotent demo accounts, one per role, for `--demo`.</summary>
public sealed class DemoSeeder(IServiceScopeFactory scopes, StaffAccountService accounts)
{
    /// <summary>The one shared demo password; printed at start and stated in the README. Never for production.</summary>
    public const string DemoPassword = "Demo-Portal-Only-2026";

    public static readonly IReadOnlyList<(string Email, string Name, string Role)> Accounts =
    [
        ("admin@demo.local", "Ada Admin", Roles.Admin),
        ("chair@demo.local", "Chris Chair", Roles.Chair),
        ("handler@demo.local", "Hana Handler", Roles.Handler),
        ("hr@demo.local", "Harper HR", Roles.HR),
        ("legal@demo.local", "Lee Legal", Roles.Legal),
        ("employee@demo.local", "Emery Employee", Roles.Employee),
    ];

    public async Task SeedAsync(CancellationToken ct = default)
    {
        foreach (var (email, name, role) in Accounts)
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            if (await users.FindByEmailAsync(email) is not null)
                continue;
            var result = await accounts.CreateAsync(new NewStaffAccount(email, name, DemoPassword, [role]), "demo-seed", ct);
            if (!result.Succeeded)
                throw new InvalidOperationException($"Demo account {email} could not be created: {result.Error!.Message}");
        }
    }
}
