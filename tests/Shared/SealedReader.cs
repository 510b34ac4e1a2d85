using EthicsPortal.Core.Data;
using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Tests.Shared;

/// <summary>
/// Reads what a test stored the only way the portal allows: as a committee member whose key is unlocked by their own
/// password (the demo chair's), through their sealed copy of the case key. The key ring alone opens nothing.
/// </summary>
public static class SealedReader
{
    /// <summary>A demo member "signs in" for a test that acts through the services: their key is unlocked as sign-in does it.</summary>
    public static async Task<string> SignInDemoAsync(IServiceProvider services, string email = "handler@demo.local")
    {
        await using var scope = services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<EthicsDbContext>().Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        if (await services.GetRequiredService<MemberKeys>().UnlockAsync(id, DemoSeeder.DemoPassword) != UnlockOutcome.Unlocked)
            throw new InvalidOperationException($"The key of {email} did not unlock with the demo password.");
        return id;
    }

    public static async Task<CaseCipher> AsDemoChairAsync(IServiceProvider services, int caseId, CaseKeyPart part = CaseKeyPart.Content)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
        var chair = await db.Users.Where(u => u.Email == "chair@demo.local").Select(u => u.Id).SingleAsync();
        if (await services.GetRequiredService<MemberKeys>().UnlockAsync(chair, DemoSeeder.DemoPassword) != UnlockOutcome.Unlocked)
            throw new InvalidOperationException("The demo chair's key did not unlock with the demo password.");
        var reference = await db.Cases.Where(c => c.Id == caseId).Select(c => c.Reference).SingleAsync();
        var (cipher, access) = await services.GetRequiredService<CaseSealing>().OpenAsync(db, chair, caseId, reference, part);
        return cipher ?? throw new InvalidOperationException($"The demo chair cannot open {reference}: {access}.");
    }
}
