using EthicsPortal.Core;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Security;
using EthicsPortal.Web.Components;
using EthicsPortal.Web.Components.Account;
using EthicsPortal.Web.Components.Cases;
using EthicsPortal.Web.Components.FollowUp;
using EthicsPortal.Web.Components.Report;
using EthicsPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace EthicsPortal.Web;

/// <summary>Builds and prepares the web host; Program.cs stays a few lines.</summary>
public static class PortalApp
{
    public static WebApplication Build(string[] args)
    {
        var demo = args.Contains("--demo");
        var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
        // Evidence uploads may reach the intake limit; ReporterLimits narrows every other request to 1 MB.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 512L * 1024 * 1024);
        var root = PortalPaths.FindRoot();
        PortalPaths.AddRootSettings(builder.Configuration, root, builder.Environment.EnvironmentName);
        if (demo)
        {
            builder.Configuration["Demo:Seed"] = "true";
            builder.Configuration["Demo:Workspace"] = "true";
            // A demo is for trying the portal with the accounts above, so it never asks for a second factor, whatever
            // appsettings.json says (its "true" is for production). Without --demo staff are always asked.
            builder.Configuration["Security:RequireStaffMfa"] = "false";
        }
        // Serves package assets (MudBlazor) and the linked top-level wwwroot when run from a build, in any environment.
        builder.WebHost.UseStaticWebAssets();

        var services = builder.Services;
        services.AddEthicsCore(builder.Configuration, root);
        services.AddWebServices();
        services.AddRazorComponents().AddInteractiveServerComponents();
        // The antiforgery cookie is Secure whenever the request came over HTTPS (its default sets no flag at all).
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest);
        services.AddMudServices();
        SingleSignOnService.Register(builder);

        var app = builder.Build();
        app.UsePortalPipeline(root);
        return app;
    }

    private static void AddWebServices(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        new IdentityBuilder(typeof(StaffUser), typeof(IdentityRole), services).AddSignInManager();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddOptions<StaffSessionOptions>().BindConfiguration(StaffSessionOptions.Section);
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<StaffSessionOptions>>((o, session) => StaffCookie.Configure(o, session.Value));
        services.Configure<SecurityStampValidatorOptions>(StaffCookie.KeepSignInFacts);
        services.AddScoped<IUserClaimsPrincipalFactory<StaffUser>, StaffClaimsFactory>();
        services.AddScoped<StaffMfaService>();
        services.AddScoped<StaffPasskeyService>();
        services.AddOptions<SingleSignOnOptions>().BindConfiguration(SingleSignOnOptions.Section);
        services.AddScoped<SingleSignOnService>();
        services.Configure<IdentityPasskeyOptions>(o => o.ValidateOrigin = StaffPasskeyService.IsOwnOrigin);
        services.AddSingleton<Reauthentication>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Committee, p => p.RequireRole(Roles.Handler, Roles.Chair))
            .AddPolicy(Policies.Insights, p => p.RequireRole(Roles.HR, Roles.Legal, Roles.Chair, Roles.Admin))
            .AddPolicy(Policies.Staff, p => p.RequireRole(Roles.Handler, Roles.Chair, Roles.HR, Roles.Legal, Roles.Admin))
            .AddPolicy(Policies.Customers, p => p.RequireRole(Roles.Chair, Roles.Admin));
        services.AddScoped<StaffSignInService>();
        // Runs before the server accepts requests, also under WebApplicationFactory (which never runs code after Build()).
        services.AddHostedService<PortalStartup>();
        services.AddHostedService<DeadlineMonitorHost>();
        services.AddHostedService<AuditBatchHost>();
        services.AddHostedService<RetentionHost>();
        services.AddHostedService<EmailDigestHost>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddReporterLimits();
        // AllowedHosts names the host names the portal answers to (appsettings.json: only this machine until the operator
        // sets theirs), so no Location header reflects a Host an attacker sent; a request without a Host gets 400 too.
        services.PostConfigure<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>(o => o.AllowEmptyHosts = false);
        services.AddSingleton<ReceiptGuard>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<FollowUpSession>();
        services.AddSingleton<ReceiptCookie>();
        services.AddSingleton<CaseLabels>();
    }

    private static void UsePortalPipeline(this WebApplication app, string root)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();   // sent only over HTTPS
        }
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<SetupGate>();
        app.UsePortalLocalization();
        app.UseReporterBodyLimits();
        app.UseMiddleware<BadRequestPage>();   // unreadable reporter forms get a calm 400/413 page, never a framework message
        app.UseAuthentication();
        app.UseMiddleware<PasswordChangeGate>();
        app.UseMiddleware<MfaGate>();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(Path.Combine(root, "wwwroot")) });
        app.MapStaticAssets();
        app.MapHealthChecks("/health");
        app.MapAccountEndpoints();
        app.MapLanguageEndpoint();
        app.MapProofEndpoints();
        app.MapCaseEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
