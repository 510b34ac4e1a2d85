using System.Net;
using System.Net.Sockets;
using EthicsPortal.Core.Data;
using EthicsPortal.Tests.Shared;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests.Security;

/// <summary>
/// The channel never closes: the portal on a real socket, flooded from 50 loopback addresses (each connection bound to
/// its own 127.0.x.y, as `curl --interface` does) with concerns and wrong receipts, while genuine reporters submit and
/// follow up, from a fresh address and from one the flood shares (a Tor exit).
/// </summary>
public sealed class FloodTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A cookie-keeping client whose every connection leaves from <paramref name="local"/>.</summary>
    private static HttpClient From(string baseUrl, IPAddress local) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = true,
        CookieContainer = new CookieContainer(),
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(3) };

    private static async Task<string> SubmitAsync(HttpClient client, string description)
    {
        using var response = await Forms.SubmitConcernAsync(client, Forms.Concern(description));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Forms.TestId(await response.Content.ReadAsStringAsync(Ct), "receipt") ?? throw new InvalidOperationException("no receipt");
    }

    private static async Task<string> FollowUpAsync(HttpClient client, string receipt)
    {
        using var open = await Forms.PostAsync(client, "/followup", "receipt", new Dictionary<string, string> { ["ReceiptInput.Receipt"] = receipt });
        return await Forms.FollowAsync(client, open);
    }

    [Fact]
    public async Task FloodFrom50Addresses_GenuineReportersStillSubmitAndFollowUp_AndNothingIsRefused()
    {
        await using var portal = new PortalFactory();
        // The shipped per-client share (10 an hour); the portal-wide share lowered from 1,000 so that 50 addresses pass it
        // with 600 concerns instead of 1,100 (the same code path, a sixth of the time on two cores).
        portal.Settings["Intake:SubmissionsPerHour"] = "200";
        portal.UseKestrel(0);
        portal.StartServer();
        var baseUrl = portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);

        async Task<(int All, int Committee)> CountAsync()
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EthicsDbContext>();
            return (await db.Cases.CountAsync(Ct), await db.Cases.CountAsync(c => !c.AwaitsScreening, Ct));
        }
        var before = await CountAsync();

        var flooders = Enumerable.Range(1, 50).Select(i => From(baseUrl, IPAddress.Parse($"127.0.{i / 250 + 1}.{i % 250 + 1}"))).ToList();
        var flood = flooders.Select(async (client, i) =>
        {
            var refused = 0;
            for (var n = 0; n < 12; n++)
            {
                using var response = await Forms.SubmitConcernAsync(client, Forms.Concern($"Flood {i}-{n}"));
                refused += response.StatusCode == HttpStatusCode.OK ? 0 : 1;
            }
            for (var n = 0; n < 11; n++)   // and wrong receipts, past every client's limit
                await FollowUpAsync(client, $"ABCD-EFGH-JKMN-PQRS-TVWX-{n:D4}");
            return refused;
        }).ToList();

        // Meanwhile: a reporter from an address of their own, and one behind the first flooder's address.
        using var fresh = From(baseUrl, IPAddress.Parse("127.0.9.9"));
        using var shared = From(baseUrl, IPAddress.Parse("127.0.1.2"));
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        var freshReceipt = await SubmitAsync(fresh, "Genuine concern from a fresh address");
        var sharedReceipt = await SubmitAsync(shared, "Genuine concern from behind a shared exit");
        var refusals = await Task.WhenAll(flood);

        Assert.Contains("data-testid=\"inbox\"", await FollowUpAsync(fresh, freshReceipt), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"inbox\"", await FollowUpAsync(shared, sharedReceipt), StringComparison.Ordinal);
        Assert.Equal(0, refusals.Sum());   // 600 concerns in the hour: the flood is screened, not refused

        var after = await CountAsync();
        Assert.Equal(602, after.All - before.All);   // every concern stored, the two genuine ones among them
        Assert.Equal(200, after.Committee - before.Committee);   // the committee's share went to the queue; the rest waits for screening
        foreach (var client in flooders)
            client.Dispose();
    }
}
