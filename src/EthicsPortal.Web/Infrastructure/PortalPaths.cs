using Microsoft.Extensions.Configuration.Json;

namespace EthicsPortal.Web.Infrastructure;

/// <summary>
/// Finds the folder that holds the one appsettings.json an operator edits: the repository root when run
/// from source or from the tests (marked by EthicsPortal.sln), else the folder of the published binaries.
/// </summary>
public static class PortalPaths
{
    public static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EthicsPortal.sln")) && File.Exists(Path.Combine(dir.FullName, "appsettings.json")))
                return dir.FullName;
        }
        return AppContext.BaseDirectory;
    }

    /// <summary>
    /// Puts the root's appsettings.json where the default one would sit, so environment variables,
    /// the command line and test settings still override it.
    /// </summary>
    public static void AddRootSettings(ConfigurationManager configuration, string root, string environment)
    {
        var sources = configuration.Sources;
        var index = sources.Select((s, i) => (s, i)).FirstOrDefault(x => x.s is JsonConfigurationSource).i;
        var files = new[] { "appsettings.json", $"appsettings.{environment}.json" };
        foreach (var file in files.Reverse())
        {
            var source = new JsonConfigurationSource { Path = file, Optional = file != "appsettings.json", ReloadOnChange = false };
            source.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(root);
            sources.Insert(index, source);
        }
    }
}
