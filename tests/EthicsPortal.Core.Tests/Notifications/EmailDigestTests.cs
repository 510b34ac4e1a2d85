using System.Text;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Notifications;
using EthicsPortal.Core.Tests.Cases;
using EthicsPortal.Tests.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EthicsPortal.Core.Tests.Notifications;

/// <summary>Staff email digests through a real SMTP server (aiosmtpd) on 127.0.0.1.</summary>
public class EmailDigestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<Workspace> WorkspaceSendingTo(int port, bool enabled = true)
        => Workspace.CreateAsync(s => s.Configure<EmailOptions>(o =>
        {
            o.Enabled = enabled;
            o.Host = "127.0.0.1";
            o.Port = port;
            o.Security = SecureSocketOptions.None;
            o.PortalUrl = "https://ethics.example.com/";
        }));

    private static async Task<string> EmailOf(Workspace w, string userId)
    {
        await using var db = await w.Db.ContextAsync();
        return (await db.Users.SingleAsync(u => u.Id == userId, Ct)).Email!;
    }

    [Fact]
    public async Task EachPersonGetsOneDigest_OfTheSameSize_WithACountAndNothingAboutAnyCase()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var w = await WorkspaceSendingTo(smtp.Port);
        await w.ConcernAsync();
        await w.ConcernAsync();
        await w.ConcernAsync(misuse: "other");   // routed to the default queue: the in-queue handler does not see it
        string reference;
        await using (var db = await w.Db.ContextAsync())
            reference = await db.Cases.OrderBy(c => c.Id).Select(c => c.Reference).FirstAsync(Ct);

        var chairCount = await w.Get<NotificationService>().CountUnreadAsync(w.Chair, Ct);
        var handlerCount = await w.Get<NotificationService>().CountUnreadAsync(w.InQueue, Ct);
        Assert.NotEqual(chairCount, handlerCount);   // different counts, still one size

        var sent = await w.Get<EmailDigest>().SendDueAsync(Ct);
        var again = await w.Get<EmailDigest>().SendDueAsync(Ct);

        var messages = smtp.Messages();
        Assert.Equal(messages.Count, sent);
        Assert.Equal(0, again);   // nothing twice
        Assert.True(sent >= 2, $"only {sent} digests");
        Assert.Single(messages.Select(m => m.Raw.Length).Distinct());   // one size for every recipient and count
        Assert.Equal(new EmailOptions().MessageBytes, messages[0].Raw.Length);
        var chair = await EmailOf(w, w.Chair);
        var handler = await EmailOf(w, w.InQueue);
        var toChair = Encoding.ASCII.GetString(Assert.Single(messages, m => m.To.Contains(chair)).Raw);
        var toHandler = Encoding.ASCII.GetString(Assert.Single(messages, m => m.To.Contains(handler)).Raw);
        Assert.Contains($"You have {chairCount} updates in EthicsPortal.", toChair, StringComparison.Ordinal);
        Assert.Contains($"You have {handlerCount} updates in EthicsPortal.", toHandler, StringComparison.Ordinal);
        foreach (var text in messages.Select(m => Encoding.ASCII.GetString(m.Raw)))
        {
            Assert.Contains("Subject: " + EmailDigest.Subject, text, StringComparison.Ordinal);
            Assert.DoesNotContain(reference, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Ministry", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Human rights", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("surveillance", text, StringComparison.OrdinalIgnoreCase);
        }
        await using var check = await w.Db.ContextAsync();
        Assert.False(await check.Notifications.AnyAsync(n => n.EmailedAt == null, Ct));
    }

    [Fact]
    public async Task ExcludedPeople_AreNotToldAboutTheCase()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var w = await WorkspaceSendingTo(smtp.Port);
        await w.ConcernAsync(exclude: [w.Excluded]);

        await w.Get<EmailDigest>().SendDueAsync(Ct);

        var excluded = await EmailOf(w, w.Excluded);
        Assert.DoesNotContain(smtp.Messages(), m => m.To.Contains(excluded));
        Assert.Contains(smtp.Messages(), m => m.To.Contains(excluded.Replace("excluded", "inqueue", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task WhenTheServerIsDown_TheRoundFails_AndNothingIsMarkedSent()
    {
        int port;
        await using (var probe = await SmtpSink.StartAsync())
            port = probe.Port;   // a port nobody listens on any more
        await using var w = await WorkspaceSendingTo(port);
        await w.ConcernAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => w.Get<EmailDigest>().SendDueAsync(Ct));
        await using (var db = await w.Db.ContextAsync())
            Assert.False(await db.Notifications.AnyAsync(n => n.EmailedAt != null, Ct));
    }

    [Fact]
    public async Task Disabled_SendsNothing()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var w = await WorkspaceSendingTo(smtp.Port, enabled: false);
        await w.ConcernAsync();

        Assert.Equal(0, await w.Get<EmailDigest>().SendDueAsync(Ct));
        Assert.Empty(smtp.Messages());
    }

    [Theory]
    [InlineData(1, "a@b.io")]
    [InlineData(12345, "someone.with.a.really.long.address@subdomain.of.an.example-company.com")]
    public void Compose_PadsEveryMessageToTheConfiguredSize(int count, string to)
    {
        var o = new EmailOptions();
        var message = EmailDigest.Compose(o, to, count, new DateTimeOffset(2026, 11, 8, 9, 5, 3, TimeSpan.Zero));
        using var stream = new MemoryStream();
        var wire = MimeKit.FormatOptions.Default.Clone();
        wire.NewLineFormat = MimeKit.NewLineFormat.Dos;   // as SMTP carries it
        message.WriteTo(wire, stream, Ct);

        Assert.Equal(o.MessageBytes, stream.Length);
    }
}
