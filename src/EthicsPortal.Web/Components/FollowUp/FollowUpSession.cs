using System.Globalization;
using Microsoft.AspNetCore.DataProtection;

namespace EthicsPortal.Web.Components.FollowUp;

/// <summary>
/// Keeps a reporter's visit to their inbox without an account: an encrypted, HttpOnly, SameSite=Strict cookie
/// scoped to /followup that names the case and when it was last used. Idle for 30 minutes, it is void.
/// It holds no receipt: losing the cookie never reveals the receipt.
/// </summary>
public sealed class FollowUpSession(IDataProtectionProvider dataProtection, TimeProvider time)
{
    public const string CookieName = "ep.followup";
    public const string Path = "/followup";
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);

    private readonly IDataProtector _protector = dataProtection.CreateProtector("EthicsPortal.FollowUpSession.v1");

    public int? Read(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
            return null;
        try
        {
            var parts = _protector.Unprotect(value).Split('|');
            var caseId = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var lastSeen = new DateTimeOffset(long.Parse(parts[1], CultureInfo.InvariantCulture), TimeSpan.Zero);
            return time.GetUtcNow() - lastSeen <= IdleTimeout ? caseId : null;
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Starts or refreshes the visit (sliding idle timeout).</summary>
    public void Write(HttpContext context, int caseId)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"{caseId}|{time.GetUtcNow().UtcTicks}");
        context.Response.Cookies.Append(CookieName, _protector.Protect(payload), Options(context));
    }

    public void End(HttpContext context) => context.Response.Cookies.Delete(CookieName, Options(context));

    private static CookieOptions Options(HttpContext context) => new()
    {
        Path = Path,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        IsEssential = true,
        MaxAge = IdleTimeout,
    };
}
