using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Sealing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Access;

/// <summary>
/// The recovery quorum in Chromium (#16 promise 6 and the reset insider test): the chair sets up 2 of 3 custodians and
/// hands out the codes; an Admin resets a handler's password and the handler reads nothing; one code recovers nothing;
/// two restore the handler, who reads the case again; the audit names the custodians who took part. Then the Admin removes
/// her from the case's queue, and she loses the case and her copy of its key at once.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RecoveryFlowTests(BrowserFixture browser)
{
    private const string Description = "Recovery-e2e: intercepts stored in bucket 5150.";

    [Fact]
    public async Task TheChairSetsUpAQuorum_AnAdminResetsAHandler_WhoReadsNothing_UntilTwoCustodiansRecoverThem()
    {
        try
        {
            await RunAsync();
        }
        finally
        {
            await ForgetTheQuorumAsync();   // the other tests share this portal and meet it without a quorum
        }
    }

    private async Task RunAsync()
    {
        var email = $"rhea.{Guid.NewGuid():N}"[..13] + "@demo.local";
        var handlerId = await NewHandlerAsync(email);
        var (reference, _) = await browser.ReportAsync(Description);
        var caseId = await CaseIdAsync(reference);
        var chair = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(chair, "chair@demo.local");
        await ConfirmOnAccessAsync(chair);

        // She reads the case: it is sealed to her key.
        var handler = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(handler, email, "rhea chose this passphrase");
        await handler.GotoAsync($"/cases/{caseId}");
        Assert.Equal(Description, (await handler.InnerTextAsync("[data-testid=report-description]")).Trim());
        await handler.Context.CloseAsync();

        // The chair sets up the quorum with the three custodians present, and hands each their code.
        await chair.ClickAsync("[data-testid=nav-access]");
        await chair.Locator("[data-testid=recovery-missing]").WaitForAsync();
        await chair.ClickAsync("[data-testid=recovery-link]");
        var names = chair.Locator("[data-testid=recovery-custodian-name]");
        await names.First.WaitForAsync();
        await names.Nth(0).FillAsync("Chris (chair)");
        await names.Nth(1).FillAsync("Dana (DPO)");
        await names.Nth(2).FillAsync("Bo (board)");
        await chair.ClickAsync("[data-testid=recovery-set-up]");
        var codes = new Dictionary<string, string>();
        foreach (var name in new[] { "Chris (chair)", "Dana (DPO)", "Bo (board)" })
        {
            var row = chair.Locator($"[data-testid=recovery-custodian-code][data-custodian='{name}']");
            await row.Locator("[data-testid=recovery-code-show]").ClickAsync();
            codes[name] = (await row.Locator("[data-testid=recovery-code]").InnerTextAsync()).Trim();
            await row.Locator("[data-testid=recovery-code-kept]").ClickAsync();
            await row.Locator("[data-testid=recovery-code-handed]").WaitForAsync();
        }
        await chair.ClickAsync("[data-testid=recovery-codes-done]");
        Assert.Contains("2 of 3: Chris (chair), Dana (DPO), Bo (board)", await chair.InnerTextAsync("[data-testid=recovery-status]"), StringComparison.Ordinal);
        Assert.Equal(0, await chair.Locator("[data-testid=recovery-code]").CountAsync());   // shown once

        // The Admin sees the quorum, and resets the handler's password.
        var admin = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(admin, "admin@demo.local");
        await admin.ClickAsync("[data-testid=nav-admin-users]");
        await admin.Locator("[data-testid=recovery-set-up]").WaitForAsync();
        Assert.Equal(0, await admin.Locator("[data-testid=recovery-missing]").CountAsync());
        var account = admin.Locator("tr").Filter(new() { Has = admin.Locator($"[data-testid=user-email][data-email='{email}']") });
        await account.Locator("[data-testid=reset-user]").ClickAsync();
        await account.Locator("[data-testid=reset-password]").FillAsync("the admin typed this reset");
        await account.Locator("[data-testid=reset-submit]").ClickAsync();
        await admin.Locator("[data-testid=users-status]").WaitForAsync();
        await admin.Context.CloseAsync();

        // The handler signs in with what the Admin typed, chooses her own, and reads nothing.
        handler = await browser.NewPageAsync();
        await BrowserFixture.SignInAndChooseOwnPasswordAsync(handler, email, "the admin typed this reset", "rhea's own passphrase again");
        await handler.GotoAsync($"/cases/{caseId}");
        await handler.Locator("[data-testid=case-sealed]").WaitForAsync();
        Assert.Equal(SealedText.Waiting, (await handler.InnerTextAsync("[data-testid=case-sealed-reason]")).Trim());
        Assert.DoesNotContain("bucket 5150", await handler.ContentAsync(), StringComparison.Ordinal);

        // One custodian's code recovers nothing.
        await chair.ReloadAsync();
        await chair.Locator("[data-testid=recovery-member]").SelectOptionAsync(handlerId);
        await chair.FillAsync("[data-testid=recovery-code-input][data-custodian='Chris (chair)']", codes["Chris (chair)"]);
        await chair.ClickAsync("[data-testid=recovery-recover]");
        await chair.Locator("[data-testid=recovery-error]").WaitForAsync();
        Assert.StartsWith("Recovery needs the codes of 2 custodians; 1 entered.", (await chair.InnerTextAsync("[data-testid=recovery-error]")).Trim(), StringComparison.Ordinal);
        await handler.ReloadAsync();
        await handler.Locator("[data-testid=case-sealed]").WaitForAsync();

        // Two do.
        await chair.FillAsync("[data-testid=recovery-code-input][data-custodian='Bo (board)']", codes["Bo (board)"]);
        await chair.ClickAsync("[data-testid=recovery-recover]");
        await chair.Locator("[data-testid=recovery-notice]").WaitForAsync();
        Assert.StartsWith("Recovered with the codes of Chris (chair) and Bo (board):", (await chair.InnerTextAsync("[data-testid=recovery-notice]")).Trim(), StringComparison.Ordinal);

        // Dana leaves: Chris and Bo type their codes, the chair names the two who stay, and each gets a new code.
        await chair.FillAsync("[data-testid=recovery-code-input][data-custodian='Chris (chair)']", codes["Chris (chair)"]);
        await chair.FillAsync("[data-testid=recovery-code-input][data-custodian='Bo (board)']", codes["Bo (board)"]);
        await chair.Locator("[data-testid=recovery-remove-custodian]").Nth(1).ClickAsync();
        // The removal is a round trip over the circuit: wait for the render rather than count at once.
        await chair.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=recovery-custodian-name]').length === 2");
        Assert.Equal(2, await chair.Locator("[data-testid=recovery-custodian-name]").CountAsync());
        await chair.ClickAsync("[data-testid=recovery-redeal]");
        var dealt = new Dictionary<string, string>();
        foreach (var name in new[] { "Chris (chair)", "Bo (board)" })
        {
            var row = chair.Locator($"[data-testid=recovery-custodian-code][data-custodian='{name}']");
            await row.Locator("[data-testid=recovery-code-show]").ClickAsync();
            dealt[name] = (await row.Locator("[data-testid=recovery-code]").InnerTextAsync()).Trim();
            await row.Locator("[data-testid=recovery-code-kept]").ClickAsync();
        }
        await chair.ClickAsync("[data-testid=recovery-codes-done]");
        Assert.Equal("The new codes are handed over; the old codes open nothing now.", (await chair.InnerTextAsync("[data-testid=recovery-notice]")).Trim());
        Assert.Contains("2 of 2: Chris (chair), Bo (board)", await chair.InnerTextAsync("[data-testid=recovery-status]"), StringComparison.Ordinal);
        Assert.NotEqual(codes["Chris (chair)"], dealt["Chris (chair)"]);
        await chair.Context.CloseAsync();

        await handler.GotoAsync($"/cases/{caseId}");
        await handler.Locator("[data-testid=report-description]").WaitForAsync();
        Assert.Equal(Description, (await handler.InnerTextAsync("[data-testid=report-description]")).Trim());

        // Removed from the case's queue on the Admin's page, she loses it at once: the page and her copy of the key.
        await using var scope = browser.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var queue = await db.Cases.Where(c => c.Id == caseId).Select(c => db.Queues.Where(q => q.Id == c.QueueId).Select(q => q.Name).First()).SingleAsync();
        admin = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(admin, "admin@demo.local");
        await admin.GotoAsync("/admin/queues");
        var members = admin.Locator("[data-testid=queue]").Filter(new() { HasText = queue }).Locator("[data-testid=queue-members]");
        await members.ClickAsync();
        await admin.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Rhea Recovered" }).ClickAsync();
        await admin.Locator("[data-testid=queues-notice]").WaitForAsync();
        await admin.Context.CloseAsync();
        Assert.False(await CaseSealing.HeldBy(db, handlerId).AnyAsync(k => k.CaseId == caseId));
        await handler.ReloadAsync();
        await handler.Locator("[data-testid=case-not-found]").WaitForAsync();
        Assert.DoesNotContain("bucket 5150", await handler.ContentAsync(), StringComparison.Ordinal);
        await handler.Context.CloseAsync();

        var audit = await db.AuditEntries.Where(e => e.Action.StartsWith("recovery.")).OrderBy(e => e.Id).Select(e => new { e.Action, e.Details }).ToListAsync();
        Assert.Contains("custodians=Chris (chair), Bo (board);", audit.Last(a => a.Action == "recovery.used").Details, StringComparison.Ordinal);
        Assert.Equal("custodians=Chris (chair), Bo (board); quorum=2 of 2; new custodians=Chris (chair), Bo (board)", audit[^1].Details);
        Assert.Contains(audit, a => a.Action == "recovery.failed" && a.Details!.StartsWith("custodians=Chris (chair);", StringComparison.Ordinal));
    }

    /// <summary>An Admin creates a handler on the users page; she chooses her own password; she joins the general queue.</summary>
    private async Task<string> NewHandlerAsync(string email)
    {
        var admin = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(admin, "admin@demo.local");
        await admin.ClickAsync("[data-testid=nav-admin-users]");
        await admin.WaitForSelectorAsync("[data-testid=interactive]", new() { State = WaitForSelectorState.Attached });
        await admin.FillAsync("[data-testid=new-user-email]", email);
        await admin.FillAsync("[data-testid=new-user-name]", "Rhea Recovered");
        await admin.FillAsync("[data-testid=new-user-password]", "the admin typed this first");
        await admin.CheckAsync("[data-testid=new-user-role-Handler]");
        await admin.ClickAsync("[data-testid=create-user]");
        await admin.GetByTestId("user-email").Filter(new() { HasText = email }).WaitForAsync();
        await admin.Context.CloseAsync();

        var handler = await browser.NewPageAsync();
        await BrowserFixture.SignInAndChooseOwnPasswordAsync(handler, email, "the admin typed this first", "rhea chose this passphrase");
        await handler.Context.CloseAsync();

        await using var scope = browser.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        var adminId = await db.Users.Where(u => u.Email == "admin@demo.local").Select(u => u.Id).SingleAsync();
        foreach (var queue in await db.Queues.Select(q => q.Id).ToListAsync())
        {
            var members = await db.QueueMembers.Where(m => m.QueueId == queue).Select(m => m.UserId).ToListAsync();
            Assert.True((await scope.ServiceProvider.GetRequiredService<QueueAdminService>().SetMembersAsync(queue, [.. members, id], adminId)).Succeeded);
        }
        return id;
    }

    private static async Task ConfirmOnAccessAsync(IPage chair)
    {
        await chair.ClickAsync("[data-testid=nav-access]");
        var row = chair.Locator("[data-testid=access-member][data-member='Rhea Recovered']");
        await row.Locator("[data-testid=access-confirm]").ClickAsync();
        await chair.Locator("[data-testid=access-notice]").WaitForAsync();
    }

    private async Task<int> CaseIdAsync(string reference)
    {
        await using var scope = browser.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        return await db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync();
    }

    private async Task ForgetTheQuorumAsync()
    {
        await using var scope = browser.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        await db.CaseKeys.Where(k => k.HolderId == CaseKey.Recovery).ExecuteDeleteAsync();
        await db.RecoveryShares.ExecuteDeleteAsync();
        await db.RecoveryCustodians.ExecuteDeleteAsync();
        await db.RecoveryKeys.ExecuteDeleteAsync();
    }
}
