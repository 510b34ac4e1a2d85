using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// A small encrypted value kept in the reporter's own browser between a POST and the GET it redirects to
/// (post/redirect/get, so a reload never repeats a submission). A session cookie: HttpOnly, SameSite=Strict, scoped to
/// one path, gone when the browser closes, void after <paramref name="lifetime"/> even if the browser keeps it.
/// Nothing of it is kept on the server.
/// </summary>
public sealed class ReporterCookie<T>(IDataProtectionProvider dataProtection, TimeProvider time, string name, string path, TimeSpan lifetime)
    where T : class
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("EthicsPortal.ReporterCookie.v1", name);

    public void Write(HttpContext context, T value)
    {
        var sealedValue = new Stored((time.GetUtcNow() + lifetime).UtcTicks, value);
        context.Response.Cookies.Append(name, _protector.Protect(JsonSerializer.Serialize(sealedValue)), Options(context));
    }

    public T? Read(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(name, out var value) || string.IsNullOrEmpty(value))
            return null;
        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(_protector.Unprotect(value));
            return stored is not null && stored.ExpiresTicks > time.GetUtcNow().UtcTicks ? stored.Value : null;
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Reads the value and deletes the cookie: what it carried is shown once.</summary>
    public T? Take(HttpContext context)
    {
        var value = Read(context);
        if (context.Request.Cookies.ContainsKey(name))
            Delete(context);
        return value;
    }

    public void Delete(HttpContext context) => context.Response.Cookies.Delete(name, Options(context));

    private sealed record Stored(long ExpiresTicks, T? Value);

    private CookieOptions Options(HttpContext context) => new()
    {
        Path = path,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        IsEssential = true,
        // No Expires or Max-Age: a session cookie, which the browser drops when it closes.
    };
}
