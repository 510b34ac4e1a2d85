using System.Security.Cryptography;
using System.Text;
using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.FollowUp;

/// <summary>
/// A follow-up visit that its reporter ended with "Leave", kept until no copy of its cookie could be used anyway. In
/// the database, so every instance refuses the copy, and a restart forgets nothing. It holds a hash of the visit's
/// random id and an hour: nothing that names a case or a reporter, no time finer than the hour.
/// </summary>
public sealed class EndedVisit
{
    public const int IdLength = 64;

    private EndedVisit() { }

    public EndedVisit(string id, DateTimeOffset until) => (Id, Until) = (id, until);

    public string Id { get; private set; } = "";
    public DateTimeOffset Until { get; private set; }
}

/// <summary>Ends follow-up visits for every instance.</summary>
public sealed class EndedVisits(IDbContextFactory<EthicsDbContext> contexts, TimeProvider time)
{
    /// <summary>Records the visit as ended until the first full hour after <paramref name="usableUntil"/>.</summary>
    public void End(string visitId, DateTimeOffset usableUntil)
    {
        var u = usableUntil.ToUniversalTime();
        var until = new DateTimeOffset(u.Year, u.Month, u.Day, u.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
        var now = time.GetUtcNow();
        using var db = contexts.CreateDbContext();
        var id = Hash(visitId);
        if (!db.EndedVisits.Any(v => v.Id == id))
            db.EndedVisits.Add(new EndedVisit(id, until));
        db.SaveChanges();
        db.EndedVisits.Where(v => v.Until < now).ExecuteDelete();   // what no cookie could use any more
    }

    public bool IsEnded(string visitId)
    {
        using var db = contexts.CreateDbContext();
        var id = Hash(visitId);
        return db.EndedVisits.Any(v => v.Id == id);
    }

    private static string Hash(string visitId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(visitId)));
}
