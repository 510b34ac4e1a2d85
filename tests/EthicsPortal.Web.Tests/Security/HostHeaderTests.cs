using System.Net.Sockets;
using System.Text;
using EthicsPortal.Tests.Shared;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Web.Tests.Security;

/// <summary>
/// The portal answers only to the host names AllowedHosts gives (#15 I1, L7): a Host an attacker chooses, or none, gets
/// a plain 400 with no stack trace in the log, and so never reaches a Location header.
/// </summary>
public sealed class HostHeaderTests
{
    private static async Task<string> RawAsync(int port, string host)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /language/de?returnUrl=%2Freport HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
            TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ShippedAllowedHosts_RefuseAForeignOrEmptyHost_AndAnswerThisMachine()
    {
        await using var portal = new PortalFactory();
        portal.UseKestrel(0);
        portal.StartServer();
        var port = new Uri(portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port;

        var foreign = await RawAsync(port, "evil.example");
        var empty = await RawAsync(port, "");
        var own = await RawAsync(port, $"127.0.0.1:{port}");

        Assert.StartsWith("HTTP/1.1 400", foreign, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", foreign, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400", empty, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 302", own, StringComparison.Ordinal);
        Assert.Contains("Location: /report", own, StringComparison.Ordinal);
        Assert.DoesNotContain(portal.Logs, l => l.Contains("   at ", StringComparison.Ordinal));   // no stack trace an outsider can make us write
    }
}
