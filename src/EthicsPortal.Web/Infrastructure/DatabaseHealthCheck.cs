using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>Healthy only when the database answers a real query, not merely when a file can be opened.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<EthicsDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await db.AuditEntries.AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
#pragma warning disable CA1031 // any failure to answer means unhealthy
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}
