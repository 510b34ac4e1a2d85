using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using EthicsPortal.Core.Security;
using EthicsPortal.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EthicsPortal.Web.Tests.Account;

/// <summary>Staff second factor, idle and absolute session limits, with MFA required as in production.</summary>
public sealed partial class MfaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PortalFactory MfaPortal(TimeProvider? time = null)
    {
        var factory = new PortalFactory { Time = time };
        factory.Settings["Security:RequireStaffMfa"] = "true";
        return factory;
    }

    /// <summary>RFC 6238 TOTP as authenticator apps compute it (HMAC-SHA1, 30 s, 6 digits).</summary>
    internal static string Totp(string base32Key, DateTimeOffset now)
    {
        var key = Base32(base32Key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
        var counter = BitConverter.GetBytes(now.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian)
            Array.Reverse(counter);
#pragma warning disable CA5350 // RFC 6238 TOTP, as every authenticator app computes it, is defined over HMAC-SHA1
        var hash = HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string s)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in s.TrimEnd('='))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }

    [GeneratedRegex("data-testid=\"mfa-key\">([^<]+)<")]
    private static partial Regex KeyOnPage();

    private static async Task<(string Key, IReadOnlyList<string> Recovery)> EnrolAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/account/mfa", Ct);
        var key = KeyOnPage().Match(page).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(key));
        Assert.Contains("data:image/png;base64,", page, StringComparison.Ordinal);   // the QR code
        using var enabled = await Forms.PostAsync(client, "/account/mfa", "enable-mfa", new Dictionary<string, string> { ["Input.Code"] = Totp(key, DateTimeOffset.UtcNow) });
        var html = await enabled.Content.ReadAsStringAsync(Ct);
        var recovery = Regex.Matches(html, "<li>([^<]+)</li>").Select(m => m.Groups[1].Value.Trim()).ToList();
        return (key, recovery);
    }

    [Fact]
    public async Task StaffWithoutSecondFactor_IsSentToEnrol_ThenReachesStaffPages()
    {
        await using var factory = MfaPortal();
        using var client = factory.CreateBrowserlikeClient();
        using (await Forms.SignInAsync(client, "handler@demo.local", DemoSeeder.DemoPassword)) { }

        using var before = await client.GetAsync("/cases", Ct);
        var (_, recovery) = await EnrolAsync(client);
        using var after = await client.GetAsync("/cases", Ct);

        Assert.Equal("/account/mfa", PortalFactory.PathOf(before));
        Assert.Equal(10, recovery.Count);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task OpeningTheSecondFactorPage_EndsNoSession_TheKeyShownStaysTheSame()
    {
        await using var factory = MfaPortal();
        using var client = factory.CreateBrowserlikeClient();
        using (await Forms.SignInAsync(client, "handler@demo.local", DemoSeeder.DemoPassword)) { }
        using var other = factory.CreateBrowserlikeClient();   // the member's other browser
        using (await Forms.SignInAsync(other, "handler@demo.local", DemoSeeder.DemoPassword)) { }
        async Task<string> StampAsync()
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Core.Data.EthicsDbContext>();
            return (await db.Users.AsNoTracking().SingleAsync(u => u.Email == "handler@demo.local", Ct)).SecurityStamp!;
        }
        var stamp = await StampAsync();

        var first = KeyOnPage().Match(await client.GetStringAsync("/account/mfa", Ct)).Groups[1].Value;
        var second = KeyOnPage().Match(await other.GetStringAsync("/account/mfa", Ct)).Groups[1].Value;

        Assert.Equal(stamp, await StampAsync());   // a new stamp would end both sessions at their next validation
        Assert.False(string.IsNullOrEmpty(first));
        Assert.Equal(first, second);   // one pending key, shown again, not replaced on every visit
    }

    [Fact]
    public async Task SignIn_AfterEnrolment_AsksForTheCode_WrongCodeRefused_RightCodeOrRecoveryCodeSignsIn()
    {
        await using var factory = MfaPortal();
        using (var first = factory.CreateBrowserlikeClient())
        {
            using (await Forms.SignInAsync(first, "chair@demo.local", DemoSeeder.DemoPassword)) { }
            var (key, recovery) = await EnrolAsync(first);

            using var second = factory.CreateBrowserlikeClient();
            using var password = await Forms.SignInAsync(second, "chair@demo.local", DemoSeeder.DemoPassword);
            using var wrong = await Forms.PostAsync(second, "/account/login-2fa", "second-factor", new Dictionary<string, string> { ["Input.Code"] = "000000" });
            using var right = await Forms.PostAsync(second, "/account/login-2fa", "second-factor", new Dictionary<string, string> { ["Input.Code"] = Totp(key, DateTimeOffset.UtcNow) });
            using var cases = await second.GetAsync("/cases", Ct);

            Assert.Equal("/account/login-2fa", PortalFactory.PathOf(password));
            Assert.Contains("That code is not right", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal("/staff", PortalFactory.PathOf(right));
            Assert.Equal(HttpStatusCode.OK, cases.StatusCode);

            using var third = factory.CreateBrowserlikeClient();
            using (await Forms.SignInAsync(third, "chair@demo.local", DemoSeeder.DemoPassword)) { }
            using var byRecovery = await Forms.PostAsync(third, "/account/login-2fa", "second-factor", new Dictionary<string, string>
            {
                ["Input.Code"] = recovery[0], ["Input.IsRecoveryCode"] = "true",
            });
            Assert.Equal("/staff", PortalFactory.PathOf(byRecovery));
        }
    }

    [Fact]
    public async Task Employee_IsNeverAskedForASecondFactor()
    {
        await using var factory = MfaPortal();
        using var client = factory.CreateBrowserlikeClient();

        using var signIn = await Forms.SignInAsync(client, "employee@demo.local", DemoSeeder.DemoPassword);
        using var report = await client.GetAsync("/report", Ct);

        Assert.Equal("/me", PortalFactory.PathOf(signIn));
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
    }

    [Fact]
    public async Task Session_Idle31Minutes_OrOlderThan12Hours_EndsEvenWithActivity()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new PortalFactory { Time = time };   // the session rules, without the MFA step
        using var client = factory.CreateBrowserlikeClient();
        using (await Forms.SignInAsync(client, "hr@demo.local", DemoSeeder.DemoPassword)) { }

        for (var i = 0; i < 24; i++)   // busy all day: a request every 25 minutes for 10 hours
        {
            time.Advance(TimeSpan.FromMinutes(25));
            using var busy = await client.GetAsync("/staff", Ct);
            Assert.Equal(HttpStatusCode.OK, busy.StatusCode);
        }
        time.Advance(TimeSpan.FromHours(2.1));   // past 12 hours since sign-in (and idle too long)
        using var late = await client.GetAsync("/staff", Ct);

        Assert.StartsWith("/account/login", PortalFactory.PathOf(late), StringComparison.Ordinal);

        using var fresh = factory.CreateBrowserlikeClient();
        using (await Forms.SignInAsync(fresh, "hr@demo.local", DemoSeeder.DemoPassword)) { }
        time.Advance(TimeSpan.FromMinutes(31));
        using var idle = await fresh.GetAsync("/staff", Ct);
        Assert.StartsWith("/account/login", PortalFactory.PathOf(idle), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_BusyFor11Hours_StaysSignedIn()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new PortalFactory { Time = time };
        using var client = factory.CreateBrowserlikeClient();
        using (await Forms.SignInAsync(client, "hr@demo.local", DemoSeeder.DemoPassword)) { }

        for (var i = 0; i < 26; i++)
        {
            time.Advance(TimeSpan.FromMinutes(25));
            using var busy = await client.GetAsync("/staff", Ct);
            Assert.Equal(HttpStatusCode.OK, busy.StatusCode);
        }
    }
}
