using EthicsPortal.Web;
using EthicsPortal.Web.Infrastructure;

// `audit verify` checks the chain and `keys migrate` the sealing, and exit; everything else starts the portal.
if (args is ["audit", "verify", ..])
    return await AuditCommand.RunAsync(args[2..]);
if (args is ["keys", ..])
    return await KeysCommand.RunAsync(args[1..]);

var app = PortalApp.Build(args);
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
