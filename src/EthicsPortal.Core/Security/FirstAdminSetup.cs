using System.Security.Cryptography;
using System.Text;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Security;

/// <summary>
/// First start without demo data: while no Admin exists a one-time token (printed to the console) lets
/// the operator create the first Admin at /setup. Only its hash is kept, in memory.
/// </summary>
public sealed class FirstAdminSetup(IServiceScopeFactory scopes, StaffAccountService accounts, AuditLog audit)
{
    private readonly Lock _lock = new();
    private byte[]? _tokenHash;

    public bool IsOpen { get { lock (_lock) return _tokenHash is not null; } }

    /// <summary>Returns a new token when no Admin exists, otherwise null (and /setup stays closed).</summary>
    public async Task<string?> OpenIfNoAdminAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
            return null;
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        lock (_lock) _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return token;
    }

    public async Task<Result<string>> CreateFirstAdminAsync(string token, string email, string displayName, string password, CancellationToken ct = default)
    {
        byte[]? expected;
        lock (_lock) expected = _tokenHash;
        if (expected is null)
            return Error.NotFound();
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim()));
        if (!CryptographicOperations.FixedTimeEquals(given, expected))
        {
            await audit.AppendAsync(new AuditRecord(AuditActors.Anonymous, "setup.token-rejected", "setup"), ct);
            return Error.Validation("The setup token is not right. Copy it from the console where the portal started.",
                new Dictionary<string, string[]> { ["Token"] = ["The setup token is not right."] });
        }
        var result = await accounts.CreateForSetupAsync(new NewStaffAccount(email, displayName, password, [Roles.Admin], OwnerChosePassword: true), "setup", ct);
        if (result.Succeeded)
        {
            lock (_lock) _tokenHash = null;
        }
        return result;
    }
}
