using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EthicsPortal.Tests.Smtp;

/// <summary>
/// Starts tests/Smtp/smtp_sink.py (aiosmtpd) on a free 127.0.0.1 port and reads what arrives. The process is ended by
/// its id when the test is done.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    /// <summary>Debian's interpreter, where python3-aiosmtpd installs; a python3 earlier on PATH (pyenv) would not see it.</summary>
    private const string DebianPython = "/usr/bin/python3";

    private readonly Process _process;

    private SmtpSink(Process process, string folder, int port)
    {
        _process = process;
        Folder = folder;
        Port = port;
    }

    public string Folder { get; }
    public int Port { get; }

    public static async Task<SmtpSink> StartAsync()
    {
        await EthicsPortal.Tests.Shared.DebianPackages.EnsureAsync("python3-aiosmtpd", () => EthicsPortal.Tests.Shared.DebianPackages.PythonHas("aiosmtpd"));
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "EthicsPortal.sln")))
            root = root.Parent ?? throw new InvalidOperationException("repository root not found");
        var folder = Directory.CreateTempSubdirectory("ep-smtp-").FullName;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var start = new ProcessStartInfo(DebianPython, [Path.Combine(root.FullName, "tests/Smtp/smtp_sink.py"), folder, port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
            var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (ready != "ready")
            {
                var error = await process.StandardError.ReadToEndAsync();
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"The SMTP sink did not start (apt-get install -y python3-aiosmtpd): {error}");
            }
            return new SmtpSink(process, folder, port);
        }
    }

    /// <summary>The messages received so far, oldest first: raw bytes and envelope recipients.</summary>
    public IReadOnlyList<(byte[] Raw, string[] To)> Messages()
        => [.. Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal)
            .Select(f => (File.ReadAllBytes(f), File.ReadAllLines(Path.ChangeExtension(f, ".rcpt"))))];

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(exit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}
