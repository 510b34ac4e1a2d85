using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EthicsPortal.Tests.Shared;
using Microsoft.Playwright;

namespace EthicsPortal.EndToEnd.Readme;

/// <summary>
/// The README's run command, word for word (`dotnet run --project src/EthicsPortal.Web -- --demo`, plus the `--urls`
/// it offers), from the repository root with its appsettings.json. No test option is set: a test that sets its own
/// options hid that the demo asked for a second factor. Only where the files go is moved (environment variables), so
/// the run leaves the repository's data/ alone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReadmeRunCommandTests(BrowserFixture browser)
{
    [Fact]
    public async Task RunCommand_AsTheReadmeSays_DemoAccountsSignInWithoutASecondFactor()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "EthicsPortal.sln")))
            root = root.Parent ?? throw new InvalidOperationException("repository root not found");
        var data = Directory.CreateTempSubdirectory("ep-readme-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root.FullName, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in new[] { "run", "--project", "src/EthicsPortal.Web", "--", "--demo", "--urls", $"http://127.0.0.1:{port}" })
            start.ArgumentList.Add(argument);
        start.Environment["Database__SqlitePath"] = Path.Combine(data, "ethicsportal.db");
        start.Environment["DataProtection__KeyRingPath"] = Path.Combine(data, "keys");
        start.Environment["Audit__HeadFilePath"] = Path.Combine(data, "audit-head.txt");
        using var portal = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var listening = new TaskCompletionSource();
        portal.OutputDataReceived += (_, e) =>
        {
            lock (output)
                output.AppendLine(e.Data);
            if (e.Data?.Contains("Now listening on", StringComparison.Ordinal) == true)
                listening.TrySetResult();
        };
        portal.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        portal.BeginOutputReadLine();
        portal.BeginErrorReadLine();
        try
        {
            var exited = portal.WaitForExitAsync(TestContext.Current.CancellationToken);
            var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromMinutes(4), TestContext.Current.CancellationToken));
            Assert.True(first == listening.Task, $"the portal did not start: {output}");
            string printed;
            lock (output)
                printed = output.ToString();
            Assert.Contains(Core.Security.DemoSeeder.DemoPassword, printed, StringComparison.Ordinal);   // the console prints it, as the README says

            var context = await browser.Browser.NewContextAsync(new() { BaseURL = $"http://127.0.0.1:{port}" });
            context.SetDefaultTimeout(45_000);
            var page = await context.NewPageAsync();
            await BrowserFixture.SignInAsync(page, "chair@demo.local");
            Assert.DoesNotContain("/account/mfa", page.Url, StringComparison.Ordinal);
            await page.GotoAsync("/cases");
            await page.WaitForSelectorAsync("[data-testid=case-row]");
            Assert.EndsWith("/cases", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
            await context.CloseAsync();
        }
        finally
        {
            if (!portal.HasExited)
                portal.Kill(entireProcessTree: true);
            await portal.WaitForExitAsync(CancellationToken.None);
            try { Directory.Delete(data, recursive: true); }
            catch (IOException) { /* a leftover temp folder is harmless */ }
        }
    }

    /// <summary>
    /// The README's upgrade command, word for word, on a copy of the folder the last build before sealed cases made: the
    /// chair's password piped on standard input, as the README allows. The portal then starts on the folder.
    /// </summary>
    [Fact]
    public async Task KeysMigrateCommand_AsTheReadmeSays_MovesAPreSealingFolder_WithTheChairsPasswordOnStandardInput()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "EthicsPortal.sln")))
            root = root.Parent ?? throw new InvalidOperationException("repository root not found");
        await using var legacy = PortalFactory.FromLegacyPortal();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root.FullName, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var argument in new[] { "run", "--project", "src/EthicsPortal.Web", "--", "keys", "migrate", "--chair", "chair@demo.local" })
            start.ArgumentList.Add(argument);
        start.Environment["Database__SqlitePath"] = legacy.DatabasePath;
        start.Environment["DataProtection__KeyRingPath"] = Path.Combine(legacy.Folder, "keys");
        start.Environment["Audit__HeadFilePath"] = Path.Combine(legacy.Folder, "audit-head.txt");
        using var command = Process.Start(start)!;
        await command.StandardInput.WriteLineAsync(Core.Security.DemoSeeder.DemoPassword);
        command.StandardInput.Close();
        var stdout = command.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = command.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await command.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(command.ExitCode == 0, $"{await stdout}\n{await stderr}");
        Assert.Contains("Password of chair@demo.local", await stderr, StringComparison.Ordinal);
        Assert.Contains("Moved 522 case(s) onto sealed keys", await stdout, StringComparison.Ordinal);
        using var client = legacy.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/followup", TestContext.Current.CancellationToken)).StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
