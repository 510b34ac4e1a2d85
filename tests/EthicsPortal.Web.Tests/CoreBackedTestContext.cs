using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using EthicsPortal.Core;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using EthicsPortal.Web.Components.Cases;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests;

/// <summary>bUnit over the real feature services and a real, migrated SQLite file in a temporary folder.</summary>
public abstract class CoreBackedTestContext : MudTestContext
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ep-bunit-" + Guid.NewGuid().ToString("N"));
    private readonly BunitAuthorizationContext _auth;

    protected CoreBackedTestContext() : this(null) { }

    /// <summary>With <paramref name="time"/>, the services run on that clock (e.g. a FakeTimeProvider).</summary>
    protected CoreBackedTestContext(TimeProvider? time)
    {
        Directory.CreateDirectory(_folder);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:SqlitePath"] = "portal.db",
            ["DataProtection:KeyRingPath"] = "keys",
            ["Audit:HeadFilePath"] = "audit-head.txt",
        }).Build();
        Services.AddLogging();
        if (time is not null)
            Services.AddSingleton(time);
        Services.AddEthicsCore(configuration, _folder);
        Services.AddSingleton<CaseLabels>();
        Services.AddSingleton<EthicsPortal.Web.Components.Account.Reauthentication>();
        Services.AddSingleton<Microsoft.AspNetCore.Components.Forms.AntiforgeryStateProvider, TestAntiforgery>();
        _auth = AddAuthorization();
        Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(Xunit.TestContext.Current.CancellationToken).GetAwaiter().GetResult();
    }

    protected T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    protected const string TestPassword = "a test passphrase long enough";

    /// <summary>Creates a real account and signs the component tree in as it.</summary>
    protected string SignInAs(string name, string role)
    {
        var id = CreateAccount(name, role);
        SignInWithoutAccount($"{name}@test.local", role, id);
        // As the sign-in page does: the password unlocks the member's key for the session.
        Get<EthicsPortal.Core.Sealing.MemberKeys>().UnlockAsync(id, TestPassword, ct: Xunit.TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        return id;
    }

    /// <summary>Creates a real account without signing in as it (an Admin to set queues up, for example).</summary>
    protected string CreateAccount(string name, string role)
        => Get<StaffAccountService>().CreateForSetupAsync(new NewStaffAccount($"{name}@test.local", name, TestPassword, [role], OwnerChosePassword: true), "test",
            Xunit.TestContext.Current.CancellationToken).GetAwaiter().GetResult().Value!;

    /// <summary>Signs the component tree in as a role only (no account); roles first: bUnit's SetRoles replaces earlier claims.</summary>
    protected void SignInWithoutAccount(string userName, string role, string userId)
    {
        _auth.SetAuthorized(userName);
        _auth.SetRoles(role);
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}

/// <summary>What the server's provider hands a circuit: a token for the pages that post to an endpoint from script.</summary>
internal sealed class TestAntiforgery : Microsoft.AspNetCore.Components.Forms.AntiforgeryStateProvider
{
    public override Microsoft.AspNetCore.Components.Forms.AntiforgeryRequestToken GetAntiforgeryToken() => new("test-token", "__RequestVerificationToken");
}
