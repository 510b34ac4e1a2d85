using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using EthicsPortal.Core.Intake;
using EthicsPortal.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;

namespace EthicsPortal.Web.Components.FollowUp;

/// <summary>
/// Keeps a reporter's visit to their inbox without an account: an encrypted, HttpOnly, SameSite=Strict session cookie
/// scoped to /followup that names the case, the visit and when it was last used. It is gone when the browser closes,
/// void after 15 idle minutes, and "Leave" ends the visit on the server too, so a copy of the cookie opens nothing.
/// It holds no receipt: losing the cookie never reveals the receipt. It carries the key the receipt derived (which opens
/// the reporter's copy of the case key, #16), so the server keeps nothing of the reporter's between requests.
/// </summary>
public sealed class FollowUpSession(IDataProtectionProvider dataProtection, TimeProvider time, Core.FollowUp.EndedVisits endedVisits)
{
    public const string CookieName = "ep.followup";
    public const string Path = "/followup";
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(15);

    private readonly IDataProtector _protector = dataProtection.CreateProtector("EthicsPortal.FollowUpSession.v3");

    /// <summary>Visits ended with "Leave" on this instance (a quick answer before the database, which every instance asks).</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _ended = new(StringComparer.Ordinal);

    /// <summary>What the page shows once after a reply, evidence or check-in (post/redirect/get).</summary>
    public ReporterCookie<FollowUpFlash> Flash { get; } = new(dataProtection, time, "ep.followup.done", Path, TimeSpan.FromMinutes(2));

    public Core.FollowUp.ReporterVisit? Read(HttpContext context) => ReadVisit(context) is { } v ? new(v.CaseId, v.Key) : null;

    /// <summary>Starts a visit.</summary>
    public void Start(HttpContext context, Core.FollowUp.ReporterVisit visit)
        => Write(context, new Visit(visit.CaseId, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), visit.Key));

    /// <summary>Refreshes the visit's idle time (sliding).</summary>
    public void Touch(HttpContext context)
    {
        if (ReadVisit(context) is { } visit)
            Write(context, visit);
    }

    /// <summary>Ends the visit: deletes the cookie and voids every copy of it, on every instance.</summary>
    public void End(HttpContext context)
    {
        if (ReadVisit(context) is { } visit)
        {
            var now = time.GetUtcNow();
            _ended[visit.Id] = now + IdleTimeout;
            endedVisits.End(visit.Id, now + IdleTimeout);
            foreach (var (id, until) in _ended)
            {
                if (until < now)
                    _ended.TryRemove(id, out _);
            }
        }
        context.Response.Cookies.Delete(CookieName, Options(context));
    }

    private Visit? ReadVisit(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
            return null;
        try
        {
            var parts = _protector.Unprotect(value).Split('|');
            var caseId = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var lastSeen = new DateTimeOffset(long.Parse(parts[1], CultureInfo.InvariantCulture), TimeSpan.Zero);
            var id = parts[2];
            var key = Convert.FromBase64String(parts[3]);
            return time.GetUtcNow() - lastSeen <= IdleTimeout && !_ended.ContainsKey(id) && !endedVisits.IsEnded(id) ? new Visit(caseId, id, key) : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private void Write(HttpContext context, Visit visit)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"{visit.CaseId}|{time.GetUtcNow().UtcTicks}|{visit.Id}|{Convert.ToBase64String(visit.Key)}");
        context.Response.Cookies.Append(CookieName, _protector.Protect(payload), Options(context));
    }

    private static CookieOptions Options(HttpContext context) => new()
    {
        Path = Path,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        IsEssential = true,
        // No Expires or Max-Age: a session cookie, so closing the browser ends the visit.
    };

    private sealed record Visit(int CaseId, string Id, byte[] Key);
}

/// <summary>The confirmation to show after an action: a resource key (never free text) and, after evidence, what was removed.</summary>
public sealed record FollowUpFlash(string NoticeKey, IReadOnlyList<RemovedMetadata>? Removed = null)
{
    /// <summary>The only keys a flash may name.</summary>
    public static readonly IReadOnlySet<string> Keys = new HashSet<string>(StringComparer.Ordinal)
    {
        "FollowUp.ReplySent", "FollowUp.EvidenceAdded", "FollowUp.CheckInThanks", "FollowUp.CheckInYesThanks",
    };
}
