using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.Tests.Security;

public class StaffAccountServiceTests
{
    private const string GoodPassword = "plenty of unrelated words";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_ValidInput_StoresAccountWithRolesAndAudits()
    {
        await using var db = await TestDatabase.CreateAsync();
        var accounts = db.Get<StaffAccountService>();

        var result = await accounts.CreateForSetupAsync(new NewStaffAccount("Hana@Example.org", "Hana", GoodPassword, [Roles.Handler]), "admin-1", Ct);

        Assert.True(result.Succeeded, result.Error?.Message);
        var listed = Assert.Single(await accounts.ListAsync(Ct));
        Assert.Equal(["Handler"], listed.Roles);
        await using var ctx = await db.ContextAsync();
        var entry = await ctx.AuditEntries.SingleAsync(e => e.Action == "account.created", Ct);
        Assert.Equal("staff:admin-1", entry.Actor);
        Assert.Equal($"user:{result.Value}", entry.Subject);
    }

    [Theory]
    [InlineData("not-an-email", "Name", GoodPassword, "Email")]
    [InlineData("a@b.org", "", GoodPassword, "DisplayName")]
    [InlineData("a@b.org", "Name", "1qaz2wsx3edc", "Password")]
    public async Task Create_InvalidInput_FailsAndStoresNothing(string email, string name, string password, string field)
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await db.Get<StaffAccountService>().CreateForSetupAsync(new NewStaffAccount(email, name, password, [Roles.Handler]), "admin-1", Ct);

        Assert.Equal(ErrorKind.Validation, result.Error!.Kind);
        Assert.Contains(field, result.Error.Fields!.Keys);
        await using var ctx = await db.ContextAsync();
        Assert.Equal(0, await ctx.Users.CountAsync(Ct));
        Assert.Equal(0, await ctx.AuditEntries.CountAsync(Ct));
    }

    [Fact]
    public async Task Create_UnknownRole_FailsAndStoresNothing()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await db.Get<StaffAccountService>().CreateForSetupAsync(new NewStaffAccount("a@b.org", "A", GoodPassword, ["Overlord"]), "admin-1", Ct);

        Assert.False(result.Succeeded);
        await using var ctx = await db.ContextAsync();
        Assert.Equal(0, await ctx.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task Create_DuplicateEmail_IsRefused()
    {
        await using var db = await TestDatabase.CreateAsync();
        var accounts = db.Get<StaffAccountService>();
        await accounts.CreateForSetupAsync(new NewStaffAccount("a@b.org", "A", GoodPassword, [Roles.HR]), "admin-1", Ct);

        var second = await accounts.CreateForSetupAsync(new NewStaffAccount("A@B.org", "B", GoodPassword, [Roles.HR]), "admin-1", Ct);

        Assert.False(second.Succeeded);
        Assert.Single(await accounts.ListAsync(Ct));
    }

    [Fact]
    public async Task LockThenUnlock_ChangesLockoutAndAuditsBoth()
    {
        await using var db = await TestDatabase.CreateAsync();
        var accounts = db.Get<StaffAccountService>();
        var admin = (await accounts.CreateForSetupAsync(new NewStaffAccount("root@b.org", "Root", GoodPassword, [Roles.Admin]), "setup", Ct)).Value!;
        var id = (await accounts.CreateAsync(new NewStaffAccount("a@b.org", "A", GoodPassword, [Roles.HR]), admin, Ct)).Value!;

        Assert.True((await accounts.LockAsync(id, admin, Ct)).Succeeded);
        Assert.True((await accounts.ListAsync(Ct)).Single(a => a.Id == id).IsLockedOut);
        Assert.True((await accounts.UnlockAsync(id, admin, Ct)).Succeeded);
        Assert.False((await accounts.ListAsync(Ct)).Single(a => a.Id == id).IsLockedOut);

        await using var ctx = await db.ContextAsync();
        Assert.Equal(["account.created", "account.created", "account.locked", "account.unlocked"],
            await ctx.AuditEntries.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync(Ct));
    }

    [Fact]
    public async Task Lock_OwnAccount_IsRefused()
    {
        await using var db = await TestDatabase.CreateAsync();
        var accounts = db.Get<StaffAccountService>();
        var id = (await accounts.CreateForSetupAsync(new NewStaffAccount("a@b.org", "A", GoodPassword, [Roles.Admin]), "setup", Ct)).Value!;

        Assert.False((await accounts.LockAsync(id, id, Ct)).Succeeded);
    }

    [Fact]
    public async Task SetRoles_ReplacesRoles()
    {
        await using var db = await TestDatabase.CreateAsync();
        var accounts = db.Get<StaffAccountService>();
        var admin = (await accounts.CreateForSetupAsync(new NewStaffAccount("root@b.org", "Root", GoodPassword, [Roles.Admin]), "setup", Ct)).Value!;
        var id = (await accounts.CreateAsync(new NewStaffAccount("a@b.org", "A", GoodPassword, [Roles.Handler]), admin, Ct)).Value!;

        var result = await accounts.SetRolesAsync(id, [Roles.Chair, Roles.Handler], admin, Ct);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(["Chair", "Handler"], (await accounts.ListAsync(Ct)).Single(a => a.Id == id).Roles);
    }

    /// <summary>Who may do what to accounts is decided from the acting user's roles, never from what a caller says.</summary>
    [Theory]
    [InlineData(Roles.Admin, true)]
    [InlineData(Roles.Chair, false)]
    [InlineData(Roles.Handler, false)]
    [InlineData(Roles.HR, false)]
    [InlineData(Roles.Legal, false)]
    [InlineData(Roles.Employee, false)]
    [InlineData(null, false)]
    public async Task AccountOperations_ByRole_OnlyAnAdminMayCreateGrantOrLock(string? role, bool allowed)
    {
        await using var db = await TestDatabase.CreateAsync();
        var accounts = db.Get<StaffAccountService>();
        var actor = role is null ? "no-such-user" : (await accounts.CreateForSetupAsync(new NewStaffAccount("actor@b.org", "Actor", GoodPassword, [role]), "setup", Ct)).Value!;
        var target = (await accounts.CreateForSetupAsync(new NewStaffAccount("target@b.org", "Target", GoodPassword, [Roles.Handler]), "setup", Ct)).Value!;

        Result[] results =
        [
            await accounts.CreateAsync(new NewStaffAccount("new@b.org", "New", GoodPassword, [Roles.Chair]), actor, Ct),
            await accounts.SetRolesAsync(target, [Roles.Chair], actor, Ct),
            await accounts.LockAsync(target, actor, Ct),
            await accounts.UnlockAsync(target, actor, Ct),
            await accounts.ResetPasswordAsync(target, "a reset passphrase for them", actor, Ct),
        ];

        Assert.All(results, r => Assert.Equal(allowed, r.Succeeded));
        if (!allowed)
        {
            Assert.All(results, r => Assert.Equal(ErrorKind.Forbidden, r.Error!.Kind));
            Assert.Equal(["Handler"], (await accounts.ListAsync(Ct)).Single(a => a.Id == target).Roles);
            Assert.DoesNotContain(await accounts.ListAsync(Ct), a => a.Email == "new@b.org");
        }
    }

    [Fact]
    public async Task ResetPassword_SetsAPasswordTheOwnerMustChange_EndsSessions_AndReplacesTheKeyPair()
    {
        await using var db = await TestDatabase.CreateAsync();
        var accounts = db.Get<StaffAccountService>();
        var admin = (await accounts.CreateForSetupAsync(new NewStaffAccount("admin@b.org", "Admin", GoodPassword, [Roles.Admin]), "setup", Ct)).Value!;
        var id = (await accounts.CreateForSetupAsync(new NewStaffAccount("a@b.org", "A", GoodPassword, [Roles.Handler], OwnerChosePassword: true), "setup", Ct)).Value!;
        await using var scope = db.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var stamp = (await users.FindByIdAsync(id))!.SecurityStamp;
        byte[] publicKey;
        await using (var ctx = await db.ContextAsync())
            publicKey = (await ctx.MemberKeys.SingleAsync(k => k.UserId == id, Ct)).PublicKey;

        Assert.Equal(ErrorKind.Validation, (await accounts.ResetPasswordAsync(id, "short", admin, Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.Validation, (await accounts.ResetPasswordAsync(admin, "a reset passphrase for me", admin, Ct)).Error!.Kind);
        Assert.True((await accounts.ResetPasswordAsync(id, "a reset passphrase for them", admin, Ct)).Succeeded);

        await using var after = db.Services.CreateAsyncScope();
        users = after.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = (await users.FindByIdAsync(id))!;
        Assert.True(await users.CheckPasswordAsync(user, "a reset passphrase for them"));
        Assert.False(await users.CheckPasswordAsync(user, GoodPassword));
        await using var check = await db.ContextAsync();
        Assert.NotEqual(stamp, await check.Users.Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleAsync(Ct));
        Assert.True(await check.UserClaims.AnyAsync(c => c.UserId == id && c.ClaimType == StaffClaims.MustChangePassword, Ct));
        var key = await check.MemberKeys.SingleAsync(k => k.UserId == id, Ct);
        Assert.NotEqual(publicKey, key.PublicKey);
        Assert.False(key.OwnSecret);
        Assert.Null(key.ConfirmedAt);   // a chair or the recovery quorum vouches for them again
        Assert.Equal("staff:" + admin, (await check.AuditEntries.SingleAsync(e => e.Action == "account.password-reset", Ct)).Actor);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_KeepsTheOldOne()
    {
        await using var db = await TestDatabase.CreateAsync();
        var accounts = db.Get<StaffAccountService>();
        var id = (await accounts.CreateForSetupAsync(new NewStaffAccount("a@b.org", "A", GoodPassword, [Roles.Handler]), "admin-1", Ct)).Value!;

        var result = await accounts.ChangePasswordAsync(id, "not the password", "another long passphrase", Ct);

        Assert.False(result.Succeeded);
        await using var scope = db.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByIdAsync(id))!, GoodPassword));
    }

    [Fact]
    public async Task PasswordHash_UsesAtLeast210000Pbkdf2Iterations()
    {
        await using var db = await TestDatabase.CreateAsync();
        var options = db.Get<IOptions<PasswordHasherOptions>>().Value;
        var hash = Convert.FromBase64String(new PasswordHasher<StaffUser>(db.Get<IOptions<PasswordHasherOptions>>()).HashPassword(new StaffUser(), GoodPassword));

        // Identity v3 format: marker byte, PRF (4 bytes), iteration count (4 bytes, big-endian), ...
        var iterations = (hash[5] << 24) | (hash[6] << 16) | (hash[7] << 8) | hash[8];
        Assert.True(options.IterationCount >= 210_000);
        Assert.True(iterations >= 210_000, $"iterations: {iterations}");
    }

    [Fact]
    public async Task DemoSeeder_RunTwice_CreatesEachAccountOnce()
    {
        await using var db = await TestDatabase.CreateAsync();
        var seeder = db.Get<DemoSeeder>();

        await seeder.SeedAsync(Ct);
        await seeder.SeedAsync(Ct);

        var accounts = await db.Get<StaffAccountService>().ListAsync(Ct);
        Assert.Equal(DemoSeeder.Accounts.Count, accounts.Count);
        Assert.All(DemoSeeder.Accounts, a => Assert.Contains(accounts, x => x.Email == a.Email && x.Roles.Contains(a.Role)));
    }

    [Fact]
    public async Task FirstAdminSetup_WrongToken_IsRefusedAndAudited_RightTokenCreatesAdminAndCloses()
    {
        await using var db = await TestDatabase.CreateAsync();
        var setup = db.Get<FirstAdminSetup>();
        var token = await setup.OpenIfNoAdminAsync(Ct);
        Assert.NotNull(token);

        var wrong = await setup.CreateFirstAdminAsync("0000", "root@b.org", "Root", GoodPassword, Ct);
        var right = await setup.CreateFirstAdminAsync(token, "root@b.org", "Root", GoodPassword, Ct);

        Assert.False(wrong.Succeeded);
        Assert.True(right.Succeeded, right.Error?.Message);
        Assert.False(setup.IsOpen);
        Assert.Null(await setup.OpenIfNoAdminAsync(Ct));
        await using var ctx = await db.ContextAsync();
        Assert.True(await ctx.AuditEntries.AnyAsync(e => e.Action == "setup.token-rejected", Ct));
    }
}
