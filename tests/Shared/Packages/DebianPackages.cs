using System.Diagnostics;

namespace EthicsPortal.Tests.Shared;

/// <summary>
/// Installs a Debian package the tests need (Chromium, aiosmtpd, PostgreSQL) the first time it is missing, so that
/// <c>dotnet test</c> on a machine with only the .NET SDK passes. Without root or apt it fails at once with the exact
/// command to run, never with a timeout. The three test projects run at once: a lock file makes them install one at a
/// time, and each looks again after waiting. Depends on nothing but the BCL (bench/ScaleBench links it).
/// </summary>
public static class DebianPackages
{
    private const string AptGet = "/usr/bin/apt-get";
    private const string LockPath = "/tmp/ethicsportal-tests-apt.lock";
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Makes sure <paramref name="package"/> is installed, judged by <paramref name="present"/>.</summary>
    public static async Task EnsureAsync(string package, Func<bool> present)
    {
        if (present())
            return;
        await Gate.WaitAsync();
        try
        {
            if (present())
                return;
            var command = $"apt-get update && apt-get install -y {package}";
            if (!File.Exists(AptGet) || Environment.UserName != "root")
                throw new InvalidOperationException($"The tests need Debian's {package} package. Install it once, as root: {command}");
            await using var held = await LockAsync();
            if (present())
                return;   // another test process installed it while this one waited
            await RunAsync("update -qq");
            await RunAsync($"install -y -qq -o DPkg::Lock::Timeout=600 {package}");
            if (!present())
                throw new InvalidOperationException($"apt-get installed {package}, but it is still not usable. Try: {command}");
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Whether Debian's python3 can import a module (aiosmtpd).</summary>
    public static bool PythonHas(string module)
    {
        if (!File.Exists("/usr/bin/python3"))
            return false;
        using var probe = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", $"import {module}"])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        probe.WaitForExit();
        return probe.ExitCode == 0;
    }

    private static async Task<FileStream> LockAsync()
    {
        for (var waited = TimeSpan.Zero; ; waited += TimeSpan.FromMilliseconds(500))
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (waited < TimeSpan.FromMinutes(15))
            {
                await Task.Delay(500);
            }
        }
    }

    private static async Task RunAsync(string arguments)
    {
        var start = new ProcessStartInfo(AptGet)
        {
            Arguments = arguments, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"apt-get {arguments} failed ({process.ExitCode}): {await error}{await output}");
    }
}
