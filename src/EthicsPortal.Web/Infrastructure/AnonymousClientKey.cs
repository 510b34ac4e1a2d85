using System.Security.Cryptography;
using System.Text;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// How abuse limits tell clients apart without knowing them: an HMAC of the address under a salt that lives in
/// memory only and dies with the process. The key is never logged or stored, and cannot be tied back later.
/// </summary>
public static class AnonymousClientKey
{
    private static readonly byte[] Salt = RandomNumberGenerator.GetBytes(32);

    public static string For(HttpContext context)
        => Convert.ToHexString(HMACSHA256.HashData(Salt, Encoding.UTF8.GetBytes(context.Connection.RemoteIpAddress?.ToString() ?? "unknown")));
}
