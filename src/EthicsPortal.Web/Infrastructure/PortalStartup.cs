using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>Migrates the database, then seeds demo accounts (`--demo`) or opens first-Admin setup.</summary>
public sealed class PortalStartup(DatabaseInitializer database, DemoSeeder demo, FirstAdminSetup setup, IConfiguration configuration,
    Microsoft.Extensions.Options.IOptions<KeyRingOptions> keyRing, ILogger<PortalStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.InitializeAsync(cancellationToken);
        // Once, plainly: without a certificate the key ring is readable by whoever can read its folder or a backup of it.
        if (string.IsNullOrEmpty(configuration["DataProtection:CertificatePath"]))
            logger.LogWarning("The key ring in {KeyRing} has no protection at rest: whoever can read that folder, or a backup of it, can read and forge the portal's cookies and sign-in tokens (case content is sealed to members' own keys, not to it). Set DataProtection:CertificatePath (SECURITY.md).",
                keyRing.Value.KeyRingPath);
        if (configuration.GetValue<bool>("Demo:Seed"))
        {
            await demo.SeedAsync(cancellationToken);
            if (configuration.GetValue<bool>("Demo:Workspace"))
                await demo.SeedWorkspaceAsync(cancellationToken);
            Console.WriteLine($"Demo accounts ready ({string.Join(", ", DemoSeeder.Accounts.Select(a => a.Email))}); password: {DemoSeeder.DemoPassword}");
        }
        else if (await setup.OpenIfNoAdminAsync(cancellationToken) is { } token)
        {
            // Printed to the console only, never to the log: whoever reads the console is the operator.
            Console.WriteLine($"No Admin account exists yet. Open /setup and enter this one-time setup token: {token}");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
