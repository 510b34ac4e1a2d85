using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Security;

public sealed record StaffAccount(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool IsLockedOut);

/// <remarks>
/// <paramref name="OwnerChosePassword"/>: false when someone else (an Admin) typed the password, so its owner must
/// choose a new one at first sign-in; true for the first Admin at /setup and the demo accounts.
/// </remarks>
public sealed record NewStaffAccount(string Email, string DisplayName, string Password, IReadOnlyList<string> Roles, bool OwnerChosePassword = false);

/// <summary>
/// Admin work on staff accounts. Every change is decided here from the acting user's id: only an Admin may create
/// accounts, change roles or lock and unlock (deny by default); the portal's own set-up (the first Admin, the demo)
/// goes through <see cref="CreateForSetupAsync"/>, which nothing outside Core can call. Each call takes a fresh scope
/// (and so a fresh DbContext), because a Blazor circuit lives far longer than a DbContext should.
/// </summary>
public sealed class StaffAccountService(IServiceScopeFactory scopes, AuditLog audit, TimeProvider time, Sealing.MemberKeys memberKeys, Sealing.CaseSealing sealing)
{
    private const string AdminsOnly = "Only administrators manage staff accounts.";

    private async Task<bool> IsAdminAsync(string actorId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await Cases.CaseAccess.HasRoleAsync(scope.ServiceProvider.GetRequiredService<Data.EthicsDbContext>(), actorId, Roles.Admin, ct);
    }

    public async Task<IReadOnlyList<StaffAccount>> ListAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var db = scope.ServiceProvider.GetRequiredService<Data.EthicsDbContext>();
        var now = time.GetUtcNow();
        var roleNames = await (from ur in db.UserRoles
                               join r in db.Roles on ur.RoleId equals r.Id
                               select new { ur.UserId, r.Name }).ToListAsync(ct);
        var list = await users.Users.OrderBy(u => u.DisplayName).ToListAsync(ct);
        return list.Select(u => new StaffAccount(
            u.Id, u.Email ?? "", u.DisplayName,
            roleNames.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order(StringComparer.Ordinal).ToList(),
            u.LockoutEnd is { } end && end > now)).ToList();
    }

    public async Task<Result<string>> CreateAsync(NewStaffAccount input, string actorId, CancellationToken ct = default)
        => await IsAdminAsync(actorId, ct) ? await CreateCoreAsync(input, actorId, ct) : Error.Forbidden(AdminsOnly);

    /// <summary>For the portal's own set-up, when no acting Admin exists: the first Admin at /setup, the demo accounts.</summary>
    /// <remarks>Its key pair is vouched for by the set-up itself (no chair exists yet to confirm it).</remarks>
    internal Task<Result<string>> CreateForSetupAsync(NewStaffAccount input, string setupActor, CancellationToken ct = default)
        => CreateCoreAsync(input, setupActor, ct, confirmed: true);

    private async Task<Result<string>> CreateCoreAsync(NewStaffAccount input, string actorId, CancellationToken ct, bool confirmed = false)
    {
        var errors = new Dictionary<string, string[]>();
        var email = input.Email.Trim();
        var name = input.DisplayName.Trim();
        if (email.Length == 0 || email.Length > StaffUser.EmailMaxLength || !email.Contains('@', StringComparison.Ordinal))
            errors["Email"] = ["Enter a valid email address."];
        if (name.Length == 0 || name.Length > StaffUser.DisplayNameMaxLength)
            errors["DisplayName"] = [$"Enter a display name of at most {StaffUser.DisplayNameMaxLength} characters."];
        if (input.Roles.Count == 0 || input.Roles.Any(r => !Roles.IsKnown(r)))
            errors["Roles"] = ["Choose at least one role from the list."];
        var password = NistPasswordValidator.Validate(input.Password);
        if (!password.Succeeded)
            errors["Password"] = password.Errors.Select(e => e.Description).ToArray();
        if (errors.Count > 0)
            return Error.Validation("Please correct the marked fields.", errors);

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        if (await users.FindByEmailAsync(email) is not null)
            return Error.Validation("An account with this email exists already.", new Dictionary<string, string[]> { ["Email"] = ["An account with this email exists already."] });

        var db = scope.ServiceProvider.GetRequiredService<Data.EthicsDbContext>();
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, CreatedAt = time.GetUtcNow() };
        // The key pair is made with the account, wrapped under its password; one an Admin typed receives no keys until
        // its owner chooses their own (#16).
        var memberKey = memberKeys.Create(db, user.Id, input.Password, ownSecret: input.OwnerChosePassword);
        // Only a committee member made by the set-up itself (the demo's) is vouched for; the first Admin is not, or an Admin
        // who later gave themselves a committee role would receive keys.
        if (confirmed && input.Roles.Any(Roles.IsCommittee))
            Sealing.MemberKeys.ConfirmForSetup(memberKey, time.GetUtcNow());
        var outcome = await audit.ExecuteAsync(db, async _ =>
        {
            var created = await users.CreateAsync(user, input.Password);
            if (created.Succeeded)
                created = await users.AddToRolesAsync(user, input.Roles.Distinct());
            if (created.Succeeded && !input.OwnerChosePassword)
                created = await users.AddClaimAsync(user, new System.Security.Claims.Claim(StaffClaims.MustChangePassword, "true"));
            return (ToResult(created), [new AuditRecord(AuditActors.Staff(actorId), "account.created", $"user:{user.Id}",
                $"roles={string.Join(',', input.Roles.Order(StringComparer.Ordinal))}")]);
        }, ct);
        return outcome.Succeeded ? user.Id : outcome.Error!;
    }

    public async Task<Result> SetRolesAsync(string userId, IReadOnlyList<string> roles, string actorId, CancellationToken ct = default)
    {
        if (!await IsAdminAsync(actorId, ct))
            return Error.Forbidden(AdminsOnly);
        if (roles.Any(r => !Roles.IsKnown(r)))
            return Error.Validation("Unknown role.");
        if (userId == actorId && !roles.Contains(Roles.Admin))
            return Error.Validation("You cannot remove your own Admin role.");
        return await WithUserAsync(userId, actorId, "account.roles-changed", async (users, user, db) =>
        {
            var current = await users.GetRolesAsync(user);
            var remove = await users.RemoveFromRolesAsync(user, current.Except(roles));
            var add = remove.Succeeded ? await users.AddToRolesAsync(user, roles.Except(current)) : remove;
            if (add.Succeeded && !current.Any(Roles.IsCommittee) && roles.Any(Roles.IsCommittee))
                await memberKeys.UnconfirmAsync(db, userId, ct);   // joining the committee: a chair vouches for them first
            if (add.Succeeded)
            {
                // A role taken away takes the keys it gave; a role given gives none (a holder must grant them).
                await sealing.PruneMembersAsync(db, [userId], ct);
            }
            return (add, $"roles={string.Join(',', roles.Order(StringComparer.Ordinal))}");
        }, ct);
    }

    public async Task<Result> LockAsync(string userId, string actorId, CancellationToken ct = default)
        => !await IsAdminAsync(actorId, ct) ? Error.Forbidden(AdminsOnly)
            : userId == actorId
            ? Error.Validation("You cannot lock your own account.")
            : await WithUserAsync(userId, actorId, "account.locked", async (users, user, db) =>
            {
                await users.SetLockoutEnabledAsync(user, true);
                var locked = await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
                memberKeys.Lock(userId);   // the key leaves this instance's memory with the session
                // A new stamp ends the account's open sessions at their next validation.
                return (locked.Succeeded ? await users.UpdateSecurityStampAsync(user) : locked, null);
            }, ct);

    public async Task<Result> UnlockAsync(string userId, string actorId, CancellationToken ct = default)
        => !await IsAdminAsync(actorId, ct) ? Error.Forbidden(AdminsOnly) : await WithUserAsync(userId, actorId, "account.unlocked", async (users, user, db) =>
        {
            var end = await users.SetLockoutEndDateAsync(user, null);
            return (end.Succeeded ? await users.ResetAccessFailedCountAsync(user) : end, null);
        }, ct);

    /// <summary>
    /// An Admin sets a new password for someone who lost theirs. Its owner must choose their own at the next sign-in;
    /// their sessions end. The old key pair cannot be re-wrapped (nobody knows the old password), so a new one replaces
    /// it and every case key sealed to the old one is deleted: the Admin who typed this password opens nothing, and the
    /// member reads again only once a chair confirms them and grants, or the recovery quorum restores them (#16).
    /// </summary>
    public async Task<Result> ResetPasswordAsync(string userId, string newPassword, string actorId, CancellationToken ct = default)
    {
        if (!await IsAdminAsync(actorId, ct))
            return Error.Forbidden(AdminsOnly);
        if (userId == actorId)
            return Error.Validation("Change your own password on your account page.");
        var check = NistPasswordValidator.Validate(newPassword);
        if (!check.Succeeded)
            return Error.Validation(check.Errors.First().Description);
        return await WithUserAsync(userId, actorId, "account.password-reset", async (users, user, db) =>
        {
            var result = await users.RemovePasswordAsync(user);
            if (result.Succeeded)
                result = await users.AddPasswordAsync(user, newPassword);
            if (result.Succeeded && !(await users.GetClaimsAsync(user)).Any(c => c.Type == StaffClaims.MustChangePassword))
                result = await users.AddClaimAsync(user, new System.Security.Claims.Claim(StaffClaims.MustChangePassword, "true"));
            if (!result.Succeeded)
                return (result, null);
            await memberKeys.ResetAsync(db, userId, newPassword, ct);
            // A new stamp ends the account's open sessions at their next validation.
            return (await users.UpdateSecurityStampAsync(user), null);
        }, ct);
    }

    public async Task<Result> ChangePasswordAsync(string userId, string currentPassword, string newPassword, CancellationToken ct = default)
    {
        var check = NistPasswordValidator.Validate(newPassword);
        if (!check.Succeeded)
            return Error.Validation(check.Errors.First().Description);
        if (newPassword == currentPassword)
            return Error.Validation("Choose a password different from the current one.");
        await using (var scope = scopes.CreateAsyncScope())
        {
            // A wrong current password counts like a failed sign-in (outside the change's transaction, which would undo it).
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            if (await users.FindByIdAsync(userId) is not { } owner)
                return Error.NotFound("No such account.");
            if (await users.IsLockedOutAsync(owner) || !await users.CheckPasswordAsync(owner, currentPassword))
            {
                await users.AccessFailedAsync(owner);
                return Error.Validation("Your current password is not right.");
            }
        }
        return await WithUserAsync(userId, userId, "account.password-changed", async (users, user, db) =>
        {
            var changed = await users.ChangePasswordAsync(user, currentPassword, newPassword);
            if (!changed.Succeeded)
                return (changed, null);
            await memberKeys.RewrapAsync(db, userId, currentPassword, newPassword, ct);
            foreach (var claim in (await users.GetClaimsAsync(user)).Where(c => c.Type == StaffClaims.MustChangePassword).ToList())
                changed = await users.RemoveClaimAsync(user, claim);
            return (changed, null);
        }, ct);
    }

    private async Task<Result> WithUserAsync(string userId, string actorId, string action,
        Func<UserManager<StaffUser>, StaffUser, Data.EthicsDbContext, Task<(IdentityResult Result, string? Details)>> change, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var db = scope.ServiceProvider.GetRequiredService<Data.EthicsDbContext>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
            return Error.NotFound("No such account.");
        return await audit.ExecuteAsync(db, async _ =>
        {
            var (result, details) = await change(users, user, db);
            return (ToResult(result), [new AuditRecord(AuditActors.Staff(actorId), action, $"user:{userId}", details)]);
        }, ct);
    }

    private static Result ToResult(IdentityResult result)
        => result.Succeeded ? Result.Ok() : Error.Validation(string.Join(" ", result.Errors.Select(e => e.Description)));
}
