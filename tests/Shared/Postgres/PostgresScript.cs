using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EthicsPortal.Tests.Shared;

/// <summary>
/// Runs postgres-server.sh (a throwaway cluster from Debian's packages on 127.0.0.1). Shared by the tests'
/// PostgresServer and bench/ScaleBench, so it depends on nothing but the BCL.
/// </summary>
public static class PostgresScript
{
    /// <summary>Starts a cluster in <paramref name="dir"/> on a free port; returns its admin connection string.</summary>
    public static async Task<string> StartAsync(string dir)
    {
        await DebianPackages.EnsureAsync("postgresql", () => Directory.Exists("/usr/lib/postgresql")
            && Directory.GetDirectories("/usr/lib/postgresql").Any(v => File.Exists(Path.Combine(v, "bin", "initdb"))));
        return (await RunAsync("start", dir, FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture))).Trim();
    }

    /// <summary>Stops the cluster immediately and deletes <paramref name="dir"/>.</summary>
    public static Task StopAsync(string dir) => RunAsync("stop", dir);

    private static async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script());
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"postgres-server.sh {arguments[0]} failed ({process.ExitCode}): {await error}");
        return await output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The script beside this file in the repository (tests and benches run from bin folders inside it).</summary>
    private static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Shared", "Postgres", "postgres-server.sh");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("tests/Shared/Postgres/postgres-server.sh not found above " + AppContext.BaseDirectory);
    }
}
