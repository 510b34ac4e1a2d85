using EthicsPortal.Core;
using EthicsPortal.Core.Audit;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>`audit verify`: exit 0 when the chain holds, 1 naming the first broken entry.</summary>
public static class AuditCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var root = PortalPaths.FindRoot();
        PortalPaths.AddRootSettings(builder.Configuration, root, builder.Environment.EnvironmentName);
        builder.Logging.ClearProviders();
        builder.Services.AddEthicsCore(builder.Configuration, root);
        using var host = builder.Build();
        var result = await host.Services.GetRequiredService<AuditVerifier>().VerifyAsync();
        if (result.IsIntact)
        {
            Console.WriteLine(result.Message);
            return 0;
        }
        await Console.Error.WriteLineAsync(result.Message);
        return 1;
    }
}
