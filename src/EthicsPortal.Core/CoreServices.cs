using EthicsPortal.Core.Audit;
using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Customers;
using EthicsPortal.Core.Data;
using EthicsPortal.Core.Notifications;
using EthicsPortal.Core.FollowUp;
using EthicsPortal.Core.Insights;
using EthicsPortal.Core.Intake;
using EthicsPortal.Core.Intake.Evidence;
using EthicsPortal.Core.Retention;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core;

public static class CoreServices
{
    /// <summary>
    /// Registers persistence, the audit chain and the feature services. Relative paths in configuration are
    /// resolved against <paramref name="baseDirectory"/>, the folder that holds appsettings.json.
    /// </summary>
    public static IServiceCollection AddEthicsCore(this IServiceCollection services, IConfiguration configuration, string baseDirectory)
    {
        string Resolve(string path) => Path.GetFullPath(path, baseDirectory);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section))
            .PostConfigure(o => o.SqlitePath = Resolve(o.SqlitePath));
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection("Audit"))
            .PostConfigure(o => o.HeadFilePath = Resolve(o.HeadFilePath));

        services.AddOptions<KeyRingOptions>().Bind(configuration.GetSection(KeyRingOptions.Section))
            .PostConfigure(o => o.KeyRingPath = Resolve(o.KeyRingPath));

        // Resolved lazily: test hosts and command lines may change the path after registration.
        // Interceptors registered in DI join the provider's own (the tests count a page's queries with one).
        services.AddDbContextFactory<EthicsDbContext>((sp, o) => UseProvider(o, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value)
            .AddInterceptors(sp.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>()));

        // Cookies, submission-proof keys and sign-in tokens are protected under this key ring. Case content is not: it is
        // sealed to members' own keys (Sealing/), which the key ring cannot open.
        var dataProtection = services.AddDataProtection().SetApplicationName("EthicsPortal");
        // Several instances share one key ring directory; a certificate keeps the keys in it encrypted at rest.
        if (configuration["DataProtection:CertificatePath"] is { Length: > 0 } certificatePath)
        {
            var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                Resolve(certificatePath), configuration["DataProtection:CertificatePassword"]);
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlRepository = new PrivateXmlRepository(
                new DirectoryInfo(sp.GetRequiredService<IOptions<KeyRingOptions>>().Value.KeyRingPath),
                sp.GetRequiredService<ILoggerFactory>())));

        services.AddIdentityCore<StaffUser>(StaffIdentity.Configure)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<EthicsDbContext>()
            .AddPasswordValidator<NistPasswordValidator>()
            .AddDefaultTokenProviders();
        services.Configure<PasswordHasherOptions>(StaffIdentity.ConfigureHasher);

        services.AddSingleton<AuditHeadFile>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditVerifier>();
        services.AddSingleton<AuditQueries>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<StaffAccountService>();
        services.AddSingleton<FirstAdminSetup>();
        services.AddSingleton<DemoSeeder>();

        services.AddOptions<IntakeOptions>().Bind(configuration.GetSection(IntakeOptions.Section));
        services.AddOptions<EvidenceOptions>().Bind(configuration.GetSection("Intake:Evidence"));
        services.AddSingleton<EvidenceSanitizer>();
        services.AddOptions<EthicsPortal.Core.Sealing.SecretWrapOptions>().Bind(configuration.GetSection(EthicsPortal.Core.Sealing.SecretWrapOptions.Section));
        services.AddOptions<StaffSessionOptions>().Bind(configuration.GetSection(StaffSessionOptions.Section));
        services.AddSingleton<EthicsPortal.Core.Sealing.KeyChain>();
        services.AddSingleton<EthicsPortal.Core.Sealing.MemberKeys>();
        services.AddSingleton<EthicsPortal.Core.Sealing.CaseSealing>();
        services.AddScoped<EthicsPortal.Core.Sealing.LegacyUpgrade>();   // scoped: Identity's password hasher is
        services.AddSingleton<EthicsPortal.Core.Sealing.KeyAccessService>();
        services.AddSingleton<EthicsPortal.Core.Sealing.IdentityRequestService>();
        services.AddSingleton<EthicsPortal.Core.Sealing.RecoveryService>();
        services.AddSingleton<ReceiptCodes>();
        services.AddSingleton<SubmissionProofs>();
        services.AddSingleton<IntakeService>();
        services.AddSingleton<EvidenceIntake>();
        services.AddOptions<DeadlineOptions>().Bind(configuration.GetSection(DeadlineOptions.Section));
        services.AddSingleton<FollowUpService>();
        services.AddSingleton<CaseAccess>();
        services.AddSingleton<EthicsPortal.Core.Common.PortalInstance>();
        services.AddSingleton<EthicsPortal.Core.Common.LeaseService>();
        services.AddOptions<CaseListOptions>().Bind(configuration.GetSection(CaseListOptions.Section));
        services.AddSingleton<CaseService>();
        services.AddOptions<InsightsOptions>().Bind(configuration.GetSection(InsightsOptions.Section));
        services.AddSingleton<InsightsService>();
        services.AddSingleton<CaseQueries>();
        services.AddSingleton<NotificationService>();
        services.AddOptions<PatternOptions>().Bind(configuration.GetSection(PatternOptions.Section));
        services.AddSingleton<CustomerPatterns>();
        services.AddSingleton<CustomerService>();
        services.AddSingleton<QueueAdminService>();
        services.AddOptions<DeadlineAlertOptions>().Bind(configuration.GetSection(DeadlineAlertOptions.Section));
        services.AddSingleton<DeadlineMonitor>();
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section));
        services.AddSingleton<EmailDigest>();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section));
        services.AddSingleton<RetentionService>();
        services.AddSingleton<EthicsPortal.Core.FollowUp.EndedVisits>();
        return services;
    }

    /// <summary>SQLite (one embedded file) or PostgreSQL (several instances), each with its own migrations.</summary>
    public static DbContextOptionsBuilder UseProvider(DbContextOptionsBuilder options, DatabaseOptions database) => database.Provider switch
    {
        DatabaseProvider.PostgreSql => options.UseNpgsql(
            database.PostgreSqlConnection is { Length: > 0 } connection ? connection
                : throw new InvalidOperationException("Database:Provider is PostgreSql but Database:PostgreSqlConnection is empty."),
            npgsql => npgsql.MigrationsAssembly(DatabaseOptions.PostgreSqlMigrationsAssembly)),
        _ => options.UseSqlite(SqliteConnectionString(database.SqlitePath), sqlite => sqlite.MigrationsAssembly(DatabaseOptions.SqliteMigrationsAssembly))
            .AddInterceptors(new SqlitePragmas()),
    };

    public static string SqliteConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
    }.ToString();
}

/// <summary>The key ring's folder, with each key file made private (0600) as soon as it is written.</summary>
internal sealed class PrivateXmlRepository(DirectoryInfo folder, ILoggerFactory logs) : Microsoft.AspNetCore.DataProtection.Repositories.IXmlRepository
{
    private readonly FileSystemXmlRepository _files = new(folder, logs);

    public IReadOnlyCollection<System.Xml.Linq.XElement> GetAllElements() => _files.GetAllElements();

    public void StoreElement(System.Xml.Linq.XElement element, string friendlyName)
    {
        _files.StoreElement(element, friendlyName);
        EthicsPortal.Core.Common.PrivateFiles.Restrict(Directory.GetFiles(folder.FullName, "*.xml"));
    }
}
