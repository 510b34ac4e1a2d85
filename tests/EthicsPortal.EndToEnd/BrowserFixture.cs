using EthicsPortal.Tests.Shared;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd;

/// <summary>
/// The portal on a real Kestrel port and Debian's Chromium driven by Playwright. Playwright's own browser
/// download cannot work on these machines, so the system browser is named explicitly.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? _playwright;

    public PortalFactory Portal { get; }

    public BrowserFixture() : this(WithRoomForTheTests()) { }

    /// <summary>A fixture on a portal of its own making (a data folder from an older build, say).</summary>
    protected BrowserFixture(PortalFactory portal) => Portal = portal;

    /// <summary>
    /// Every browser test submits from the same address (127.0.0.1), so the per-client hourly limit is raised here; the
    /// limits themselves are tested over HTTP (IntakeHttpTests, FollowUpHttpTests), as shipped.
    /// </summary>
    private static PortalFactory WithRoomForTheTests()
    {
        var portal = new PortalFactory();
        portal.Settings["Intake:SubmissionsPerClientPerHour"] = "1000";
        return portal;
    }
    public IBrowser Browser { get; private set; } = default!;
    public string BaseUrl { get; private set; } = "";

    /// <summary>The host name the browser uses; WebAuthn refuses IP addresses, so passkey tests use "localhost".</summary>
    protected virtual string Host => "127.0.0.1";

    /// <summary>Runs before the portal starts: a fixture sets what its portal needs (a provider's address, say).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    /// <summary>Runs after the portal and the browser stopped.</summary>
    protected virtual ValueTask AfterStopAsync() => ValueTask.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        await DebianPackages.EnsureAsync("chromium", () => File.Exists(ChromiumPath));
        await BeforeStartAsync();
        Portal.UseKestrel(0);
        Portal.StartServer();
        var addresses = Portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", Host, StringComparison.Ordinal).Replace("localhost", Host, StringComparison.Ordinal)
            .Replace("127.0.0.1", Host, StringComparison.Ordinal);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser profile (no shared cookies) per test.</summary>
    public async Task<IPage> NewPageAsync(bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, JavaScriptEnabled = javaScript });
        // Generous: the three test projects run at once on two shared cores, and a page may wait its turn.
        context.SetDefaultTimeout(45_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in on the staff sign-in page (demo password by default) and waits for the shell to show who.</summary>
    public static async Task SignInAsync(IPage page, string email, string? password = null)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("[data-testid=login-email]", email);
        await page.FillAsync("[data-testid=login-password]", password ?? EthicsPortal.Core.Security.DemoSeeder.DemoPassword);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForSelectorAsync("[data-testid=signed-in-user]");
    }

    /// <summary>
    /// Signs in with a password an Admin typed (a new account, a reset): the portal sends the member to choose their own
    /// first, which they do here; waits until the change is confirmed.
    /// </summary>
    public static async Task SignInAndChooseOwnPasswordAsync(IPage page, string email, string typedByAdmin, string own)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("[data-testid=login-email]", email);
        await page.FillAsync("[data-testid=login-password]", typedByAdmin);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.Locator("[data-testid=password-must-change]").WaitForAsync();
        await page.FillAsync("[data-testid=password-current]", typedByAdmin);
        await page.FillAsync("[data-testid=password-new]", own);
        await page.ClickAsync("[data-testid=password-submit]");
        await page.Locator("[data-testid=password-changed]").WaitForAsync();
    }

    /// <summary>Signs in and waits until the sign-in page is left: for any role and any size of screen (a phone-sized
    /// app bar hides the name <see cref="SignInAsync"/> waits for; employees land on a page without it).</summary>
    public static async Task SignInAnywhereAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("[data-testid=login-email]", email);
        await page.FillAsync("[data-testid=login-password]", EthicsPortal.Core.Security.DemoSeeder.DemoPassword);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
    }

    /// <summary>
    /// A concern sent from the reporter page with JavaScript off, anonymous unless <paramref name="confidentialName"/>
    /// is given; returns its reference and receipt.
    /// </summary>
    public async Task<(string Reference, string Receipt)> ReportAsync(string description, string product = "cloud-storage", string misuse = "mass-surveillance",
        string? confidentialName = null)
    {
        var reporter = await NewPageAsync(javaScript: false);
        await reporter.GotoAsync("/report");
        if (confidentialName is not null)
        {
            await reporter.CheckAsync("[data-testid=mode-confidential]");
            await reporter.FillAsync("[data-testid=name]", confidentialName);
            await reporter.FillAsync("[data-testid=contact]", "reporter@example.org");
        }
        await reporter.SelectOptionAsync("[data-testid=product]", product);
        await reporter.SelectOptionAsync("[data-testid=misuse-type]", misuse);
        await reporter.FillAsync("[data-testid=description]", description);
        await reporter.ClickAsync("[data-testid=submit]");
        var receipt = (await reporter.Locator("[data-testid=receipt]").InnerTextAsync()).Trim();
        var reference = await reporter.Locator("[data-testid=receipt-panel]").GetAttributeAsync("data-reference");
        await reporter.Context.CloseAsync();
        return (reference ?? throw new InvalidOperationException("no reference on the receipt page"), receipt);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
            await Browser.CloseAsync();
        _playwright?.Dispose();
        await Portal.DisposeAsync();
        await AfterStopAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>The portal as in production: staff must prove a second factor. Reached as "localhost" so passkeys work.</summary>
public sealed class MfaBrowserFixture : BrowserFixture
{
    public MfaBrowserFixture() => Portal.Settings["Security:RequireStaffMfa"] = "true";

    protected override string Host => "localhost";
}

/// <summary>The portal with staff single sign-on against a small OpenID Connect provider on 127.0.0.1 (#16's unlock passphrase).</summary>
public sealed class SsoBrowserFixture : BrowserFixture
{
    public TestIdentityProvider Provider { get; private set; } = default!;

    protected override async Task BeforeStartAsync()
    {
        Provider = await TestIdentityProvider.StartAsync();
        Portal.Settings["Authentication:OpenIdConnect:Enabled"] = "true";
        Portal.Settings["Authentication:OpenIdConnect:Authority"] = Provider.Url;
        Portal.Settings["Authentication:OpenIdConnect:ClientId"] = TestIdentityProvider.ClientId;
        Portal.Settings["Authentication:OpenIdConnect:ClientSecret"] = TestIdentityProvider.ClientSecret;
        Portal.Settings["Authentication:OpenIdConnect:RequireHttpsMetadata"] = "false";
        Portal.Settings["Authentication:OpenIdConnect:GroupRoles:ethics-chair"] = EthicsPortal.Core.Security.Roles.Chair;
    }

    protected override async ValueTask AfterStopAsync()
    {
        if (Provider is not null)
            await Provider.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SsoBrowserCollection : ICollectionFixture<SsoBrowserFixture>
{
    public const string Name = "browser-sso";
}

[CollectionDefinition(Name)]
public sealed class MfaBrowserCollection : ICollectionFixture<MfaBrowserFixture>
{
    public const string Name = "browser-mfa";
}
