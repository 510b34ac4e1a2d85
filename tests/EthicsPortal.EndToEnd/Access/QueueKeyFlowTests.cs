using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.EndToEnd.Access;

/// <summary>
/// Queue group keys in Chromium (#16): a concern reaches the queue's handlers through one copy sealed to the queue's
/// group key; the chair excludes one of them on the case page, who loses the case at once, while the other keeps reading it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class QueueKeyFlowTests(BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheChairExcludesAHandler_FromAConcernSealedToTheQueuesGroupKey_TheyLoseIt_AndTheOtherHandlerReadsOn()
    {
        var email = $"second.{Guid.NewGuid():N}"[..15] + "@demo.local";
        string secondId, handlerId, adminId;
        int general;
        List<string> members;
        await using (var scope = browser.Portal.Services.CreateAsyncScope())
        {
            var made = await scope.ServiceProvider.GetRequiredService<StaffAccountService>().CreateForSetupAsync(
                new NewStaffAccount(email, "Second Handler", DemoSeeder.DemoPassword, [Roles.Handler], OwnerChosePassword: true), "test", Ct);
            Assert.True(made.Succeeded, made.Error?.Message);
            secondId = made.Value!;
            var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
            handlerId = await db.Users.Where(u => u.Email == "handler@demo.local").Select(u => u.Id).SingleAsync(Ct);
            adminId = await db.Users.Where(u => u.Email == "admin@demo.local").Select(u => u.Id).SingleAsync(Ct);
            general = await db.Queues.Where(q => q.IsDefault).Select(q => q.Id).SingleAsync(Ct);
            members = await db.QueueMembers.Where(m => m.QueueId == general).Select(m => m.UserId).ToListAsync(Ct);
            Assert.Contains(handlerId, members);
            Assert.True((await scope.ServiceProvider.GetRequiredService<QueueAdminService>().SetMembersAsync(general, [.. members, secondId], adminId, Ct)).Succeeded);
        }
        try
        {
            // "Other" is routed by no rule: the concern lands in the default queue, which the demo handler and the second one work.
            var (reference, _) = await browser.ReportAsync("Group-key e2e: the customer copies call recordings to bucket 7341.", misuse: "other");
            int caseId;
            await using (var scope = browser.Portal.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
                caseId = await db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync(Ct);
                var group = await db.CaseKeys.Where(k => k.CaseId == caseId && k.Part == CaseKeyPart.Content && k.HolderId.StartsWith(QueueKey.Prefix))
                    .Select(k => k.HolderId).SingleAsync(Ct);
                var holders = await db.QueueKeyCopies.Where(c => c.QueueKeyId == group).Select(c => c.UserId).ToListAsync(Ct);
                Assert.Contains(handlerId, holders);
                Assert.Contains(secondId, holders);
                Assert.All(holders, h => Assert.True(h == secondId || members.Contains(h)));   // the queue's handlers, nobody else
                Assert.False(await db.CaseKeys.AnyAsync(k => k.CaseId == caseId && (k.HolderId == handlerId || k.HolderId == secondId), Ct));   // no copy per handler
            }

            var second = await browser.NewPageAsync();
            await BrowserFixture.SignInAsync(second, email, DemoSeeder.DemoPassword);
            await second.GotoAsync($"/cases/{caseId}");
            Assert.Contains("bucket 7341", await second.InnerTextAsync("[data-testid=report-description]"), StringComparison.Ordinal);

            // The chair excludes the second handler on the case page.
            var chair = await browser.NewPageAsync();
            await BrowserFixture.SignInAsync(chair, "chair@demo.local");
            await chair.GotoAsync($"/cases/{caseId}");
            await chair.Locator("[data-testid=report-description]").WaitForAsync();
            await chair.ClickAsync("[data-testid=exclude-member]");
            await chair.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Second Handler" }).ClickAsync();
            await chair.FillAsync("[data-testid=exclude-reason]", "Was on the customer's account last year");
            await chair.ClickAsync("[data-testid=exclude]");
            await chair.Locator("[data-testid=excluded-member]", new() { HasText = "Second Handler" }).WaitForAsync();

            // At rest: the case's group copy is gone, the excluded handler holds nothing of it, the other has a copy of their own.
            await using (var scope = browser.Portal.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
                Assert.False(await db.CaseKeys.AnyAsync(k => k.CaseId == caseId && k.HolderId.StartsWith(QueueKey.Prefix), Ct));
                Assert.False(await CaseSealing.HeldBy(db, secondId).AnyAsync(k => k.CaseId == caseId, Ct));
                Assert.True(await db.CaseKeys.AnyAsync(k => k.CaseId == caseId && k.Part == CaseKeyPart.Content && k.HolderId == handlerId, Ct));
            }
            await second.ReloadAsync();
            await second.Locator("[data-testid=case-not-found]").WaitForAsync();
            Assert.DoesNotContain("bucket 7341", await second.ContentAsync(), StringComparison.Ordinal);

            var handler = await browser.NewPageAsync();
            await BrowserFixture.SignInAsync(handler, "handler@demo.local");
            await handler.GotoAsync($"/cases/{caseId}");
            Assert.Contains("bucket 7341", await handler.InnerTextAsync("[data-testid=report-description]"), StringComparison.Ordinal);
            await chair.Context.CloseAsync();
            await second.Context.CloseAsync();
            await handler.Context.CloseAsync();
        }
        finally
        {
            await using var scope = browser.Portal.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<QueueAdminService>().SetMembersAsync(general, members, adminId, Ct);
        }
    }
}
