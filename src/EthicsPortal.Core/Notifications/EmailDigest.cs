using System.Globalization;
using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Data;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EthicsPortal.Core.Notifications;

/// <summary>
/// Tells staff by email that something waits for them, and nothing more: "You have N updates in EthicsPortal". No
/// reference, kind, queue or customer, since mailboxes are forwarded, searched and backed up outside our control. Every
/// message has the same subject and exactly the same size. A notice is marked emailed only after the server took the
/// message, so a failed round is simply tried again.
/// </summary>
public sealed class EmailDigest(
    IDbContextFactory<EthicsDbContext> contexts, CaseAccess access, IOptions<EmailOptions> options, TimeProvider time,
    AuditLog audit, ILogger<EmailDigest> logger)
{
    public const string Subject = "EthicsPortal: updates are waiting for you";

    /// <summary>Sends one digest to each staff member with unread notices not yet emailed; returns how many went out.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        if (!o.Enabled)
            return 0;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        var userIds = await db.Notifications.Where(n => n.EmailedAt == null && n.ReadAt == null)
            .Select(n => n.UserId).Distinct().ToListAsync(ct);
        if (userIds.Count == 0)
            return 0;

        using var smtp = new SmtpClient();
        var sent = 0;
        foreach (var userId in userIds)
        {
            var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new { u.Email, u.LockoutEnd }).SingleOrDefaultAsync(ct);
            // Only notices about cases this person may still see count; the rest are settled without a message.
            var actor = await access.ActorAsync(db, userId, ct);
            var visible = access.Visible(db, actor).Select(c => c.Id);
            var pending = await db.Notifications.Where(n => n.UserId == userId && n.EmailedAt == null && n.ReadAt == null).ToListAsync(ct);
            var count = await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null
                && (n.CaseId == null || visible.Contains(n.CaseId.Value)), ct);
            var locked = user?.LockoutEnd is { } end && end > now;
            if (user?.Email is { Length: > 0 } email && !locked && count > 0)
            {
                if (!smtp.IsConnected)
                {
                    await smtp.ConnectAsync(o.Host, o.Port, o.Security, ct);
                    if (!string.IsNullOrEmpty(o.Username))
                        await smtp.AuthenticateAsync(o.Username, o.Password ?? "", ct);
                }
                await smtp.SendAsync(Compose(o, email, count, now), ct);
                sent++;
                await audit.AppendAsync(new AuditRecord(AuditActors.System, "notification.emailed", $"user:{userId}"), ct);
            }
            foreach (var n in pending)
                n.MarkEmailed(now);
            await db.SaveChangesAsync(ct);
        }
        if (smtp.IsConnected)
            await smtp.DisconnectAsync(quit: true, ct);
        if (sent > 0)
            logger.LogInformation("Sent {Count} notification digests.", sent);
        return sent;
    }

    /// <summary>The message, padded to <see cref="EmailOptions.MessageBytes"/> bytes exactly with an X-Padding header.</summary>
    public static MimeMessage Compose(EmailOptions o, string to, int count, DateTimeOffset now)
    {
        var message = new MimeMessage
        {
            Subject = Subject,
            Date = now,
            // Fixed length, random: nothing in it can be matched to a case or a person.
            MessageId = $"{Guid.NewGuid():N}@ethicsportal.invalid",
            Body = new TextPart("plain")
            {
                Text = string.Create(CultureInfo.InvariantCulture,
                    $"You have {count} {(count == 1 ? "update" : "updates")} in EthicsPortal.\r\n\r\nSign in to read {(count == 1 ? "it" : "them")}: {o.PortalUrl}\r\n\r\nThis message says nothing about any case, by design. Please do not forward it.\r\n"),
            },
        };
        message.From.Add(MailboxAddress.Parse(o.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Prepare(EncodingConstraint.SevenBit);

        // Grow unfoldable runs of one letter (each line well under SMTP's 998-byte limit) until the size is exact.
        Header? padding = null;
        var missing = o.MessageBytes - Size(message);
        while (missing != 0)
        {
            if (missing < 0)
                throw new InvalidOperationException($"A digest is {o.MessageBytes - missing} bytes; raise Notifications:Email:MessageBytes.");
            if (padding is not null && padding.Value.Length + missing <= 900)
                padding.SetValue(Wire, System.Text.Encoding.ASCII, padding.Value + new string('x', missing));
            else
            {
                message.Headers.Add(padding = new Header("X-Padding", "x"));
                padding.SetValue(Wire, System.Text.Encoding.ASCII, "x");
            }
            missing = o.MessageBytes - Size(message);
        }
        return message;
    }

    /// <summary>The size on the wire: SMTP carries CRLF line ends whatever the platform writes.</summary>
    private static readonly FormatOptions Wire = CreateWireFormat();

    private static FormatOptions CreateWireFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.MaxLineLength = 998;   // so the padding is never folded or encoded: its size stays exact
        return format;
    }

    private static int Size(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(Wire, stream);
        return (int)stream.Length;
    }
}
