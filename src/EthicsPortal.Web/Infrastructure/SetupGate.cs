using EthicsPortal.Core.Security;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>/setup exists only while no Admin does; afterwards it answers 404 as if it never had.</summary>
public sealed class SetupGate(RequestDelegate next, FirstAdminSetup setup)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/setup") && !setup.IsOpen)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        return next(context);
    }
}
