using MailKit.Security;

namespace EthicsPortal.Core.Notifications;

/// <summary>
/// Staff email digests (appsettings.json "Notifications:Email"). Off until an SMTP server is named. Reporters never
/// get email: an address would identify them, and a message could be read by whoever shares their inbox.
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "Notifications:Email";

    public bool Enabled { get; set; }
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 25;

    /// <summary>None, StartTls, StartTlsWhenAvailable or SslOnConnect (MailKit's SecureSocketOptions).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "EthicsPortal <ethics-portal@example.com>";

    /// <summary>Where staff sign in; the only link an email carries.</summary>
    public string PortalUrl { get; set; } = "https://ethics.example.com/";

    public int IntervalMinutes { get; set; } = 15;

    /// <summary>Every message is padded to exactly this many bytes, so its size tells nothing (not even the count).</summary>
    public int MessageBytes { get; set; } = 2048;
}
