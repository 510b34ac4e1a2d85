using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace CrashSafety;

/// <summary>
/// Crash safety of intake (issue #7 item 7): reporters keep submitting while the portal is killed with SIGKILL at
/// random moments; afterwards every receipt that was ever shown must still open its case, the database must pass
/// PRAGMA integrity_check, and the audit chain must verify. Talks to 127.0.0.1 only and ends every process it starts.
/// </summary>
internal static partial class Program
{
    private static async Task<int> Main(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message + "\n\n" + Options.Usage);
            return 2;
        }
        if (options.Help)
        {
            Console.WriteLine(Options.Usage);
            return 0;
        }

        var dll = options.Dll ?? FindPortalDll();
        if (dll is null || !File.Exists(dll))
        {
            await Console.Error.WriteLineAsync("No built portal found. Build it first: dotnet build src/EthicsPortal.Web -c Release (or pass --dll <path>).");
            return 2;
        }
        var work = Directory.CreateTempSubdirectory("ep-crash-").FullName;
        Console.WriteLine($"portal:  {dll} (built {File.GetLastWriteTime(dll):yyyy-MM-dd HH:mm})");
        Console.WriteLine($"data:    {work}");
        Console.WriteLine($"rounds:  {options.Rounds}, clients: {options.Clients}, up between kills: {options.MinUpMs}-{options.MaxUpMs} ms, seed: {options.Seed}");

        using var portal = new Portal(dll, work);
        using var quit = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            quit.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => portal.Dispose();   // never leave a server behind

        try
        {
            return await RunAsync(options, portal, dll, work, quit.Token);
        }
        catch (PortalException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n--- last lines of the portal's output ---\n{portal.LogTail}");
            return 2;
        }
        catch (OperationCanceledException) when (quit.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Interrupted.");
            return 2;
        }
        finally
        {
            portal.Dispose();
            SqliteConnection.ClearAllPools();
            if (!options.Keep)
                TryDelete(work);
        }
    }

    private static async Task<int> RunAsync(Options options, Portal portal, string dll, string work, CancellationToken quit)
    {
        var random = new Random(options.Seed);
        var stats = new Stats();
        var acks = new ConcurrentQueue<Ack>();
        var crashChecks = new List<CrashCheck>();
        var clock = Stopwatch.StartNew();

        using var stopClients = CancellationTokenSource.CreateLinkedTokenSource(quit);
        var clients = Enumerable.Range(0, options.Clients).Select(_ => Task.Run(() => Reporter.RunAsync(portal, stats, acks, stopClients.Token), CancellationToken.None)).ToList();
        try
        {
            for (var round = 1; round <= options.Rounds; round++)
            {
                await portal.StartAsync(options.StartupTimeout, quit);
                var up = random.Next(options.MinUpMs, options.MaxUpMs + 1);
                await Task.Delay(up, quit);
                portal.Kill();

                // Taken after the process is gone: every receipt in it was shown before the kill.
                var acknowledged = acks.ToArray();
                var check = CrashCheck.Run(work, acknowledged);
                crashChecks.Add(check);
                Console.WriteLine($"round {round,2}: up {up,5} ms, SIGKILL; acknowledged so far {acknowledged.Length,5}; " +
                                  $"crashed files: quick_check {check.QuickCheck}, cases {check.Cases}, acknowledged missing {check.Missing}");
            }
        }
        finally
        {
            await stopClients.CancelAsync();
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        }

        // The last restart: every receipt ever shown must open its case.
        await portal.StartAsync(options.StartupTimeout, quit);
        var all = acks.ToArray();
        var (verified, failures) = await Verifier.VerifyAsync(portal.BaseAddress!, all, quit);
        await portal.StopAsync();

        var integrity = IntegrityCheck(portal.DatabasePath);
        var (auditExit, auditOutput) = await AuditVerifyAsync(dll, portal, quit);
        var storedCases = CountCases(portal.DatabasePath);

        var lost = all.Length - verified;
        var missingAtCrash = crashChecks.Sum(c => c.Missing);
        var quickOk = crashChecks.Count(c => c.QuickCheck == "ok");
        PrintTable(
        [
            ("rounds (SIGKILL while submitting)", crashChecks.Count.ToString(CultureInfo.InvariantCulture)),
            ("concurrent reporters", options.Clients.ToString(CultureInfo.InvariantCulture)),
            ("submissions attempted (POST sent)", stats.Attempted.ToString(CultureInfo.InvariantCulture)),
            ("acknowledged (receipt shown in a 200)", all.Length.ToString(CultureInfo.InvariantCulture)),
            ("interrupted by a kill (no receipt shown)", stats.Interrupted.ToString(CultureInfo.InvariantCulture)),
            ("answered without a receipt", stats.Refused.ToString(CultureInfo.InvariantCulture)),
            ("cases stored at the end", storedCases.ToString(CultureInfo.InvariantCulture)),
            ("receipts verified via /followup after the last restart", verified.ToString(CultureInfo.InvariantCulture)),
            ("lost (acknowledged, but no case)", lost.ToString(CultureInfo.InvariantCulture)),
            ("acknowledged cases missing in the crashed files", missingAtCrash.ToString(CultureInfo.InvariantCulture)),
            ("quick_check on the crashed files", $"{quickOk}/{crashChecks.Count} ok"),
            ("integrity_check at the end", integrity),
            ("audit verify", $"exit {auditExit}: {auditOutput}"),
            ("duration", $"{clock.Elapsed.TotalSeconds:F0} s"),
        ]);
        foreach (var failure in failures.Take(10))
            Console.WriteLine($"  not verified: {failure}");

        var passed = lost == 0 && missingAtCrash == 0 && quickOk == crashChecks.Count && integrity == "ok" && auditExit == 0 && all.Length > 0;
        Console.WriteLine(passed ? "PASS: no acknowledged concern was lost." : "FAIL: see the table above.");
        return passed ? 0 : 1;
    }

    private static readonly string[] Configurations = ["Release", "Debug"];

    private static string? FindPortalDll()
    {
        var root = FindRepoRoot();
        if (root is null)
            return null;
        return Configurations
            .Select(c => Path.Combine(root, "src", "EthicsPortal.Web", "bin", c, "net10.0", "EthicsPortal.Web.dll"))
            .FirstOrDefault(File.Exists);   // Release as the README builds it, else Debug; the build time is printed
    }

    private static string? FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EthicsPortal.sln")))
                    return dir.FullName;
            }
        }
        return null;
    }

    private static string IntegrityCheck(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
            lines.Add(reader.GetString(0));
        return string.Join("; ", lines);
    }

    private static long CountCases(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Cases;";
        return (long)command.ExecuteScalar()!;
    }

    private static async Task<(int Exit, string Output)> AuditVerifyAsync(string dll, Portal portal, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("audit");
        start.ArgumentList.Add("verify");
        foreach (var arg in portal.StorageArguments)
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start) ?? throw new PortalException("could not start audit verify");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }
        var text = ((await output).Trim() + " " + (await error).Trim()).Trim().ReplaceLineEndings(" ");
        return (process.ExitCode, text.Length > 120 ? text[..120] + "…" : text);
    }

    private static void PrintTable(IReadOnlyList<(string Metric, string Value)> rows)
    {
        var width = rows.Max(r => r.Metric.Length);
        var valueWidth = rows.Max(r => r.Value.Length);
        Console.WriteLine();
        Console.WriteLine($"| {"metric".PadRight(width)} | {"value".PadRight(valueWidth)} |");
        Console.WriteLine($"|{new string('-', width + 2)}|{new string('-', valueWidth + 2)}|");
        foreach (var (metric, value) in rows)
            Console.WriteLine($"| {metric.PadRight(width)} | {value.PadRight(valueWidth)} |");
        Console.WriteLine();
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    internal static partial Regex AntiforgeryToken();

    [GeneratedRegex("data-testid=\"receipt\">([0-9A-Z]{4}(?:-[0-9A-Z]{4}){5})<")]
    internal static partial Regex Receipt();

    [GeneratedRegex(@"\b(C-[0-9A-Z]{4}-[0-9A-Z]{4})\b")]
    internal static partial Regex Reference();

    internal static string TokenFrom(string html)
    {
        var match = AntiforgeryToken().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidDataException("no antiforgery token on the page");
    }
}

internal sealed record Ack(string Receipt, string Reference);

internal sealed class Stats
{
    private long _attempted;
    private long _interrupted;
    private long _refused;

    public long Attempted => Interlocked.Read(ref _attempted);
    public long Interrupted => Interlocked.Read(ref _interrupted);
    public long Refused => Interlocked.Read(ref _refused);

    public void AddAttempt() => Interlocked.Increment(ref _attempted);
    public void AddInterrupted() => Interlocked.Increment(ref _interrupted);
    public void AddRefused() => Interlocked.Increment(ref _refused);
}

internal sealed class PortalException(string message) : Exception(message);

/// <summary>Command-line options; every loop and wait below is bounded by them.</summary>
internal sealed record Options(int Rounds, int Clients, int MinUpMs, int MaxUpMs, int Seed, string? Dll, bool Keep, TimeSpan StartupTimeout, bool Help)
{
    public const string Usage = """
        usage: dotnet run --project bench/CrashSafety -c Release -- [options]
          --rounds N            SIGKILLs while reporters submit (default 20)
          --clients N           concurrent anonymous reporters (default 4)
          --min-up-ms N         shortest time the portal runs between kills, after /health answers (default 2000;
                                the first seconds of a fresh process are its warm-up)
          --max-up-ms N         longest such time (default 8000)
          --seed N              seed for the kill moments (default: random)
          --dll PATH            the portal to run (default: src/EthicsPortal.Web/bin/Release/net10.0/EthicsPortal.Web.dll,
                                else the Debug one)
          --startup-timeout N   seconds to wait for /health after a start (default 90)
          --keep                keep the temporary data folder for inspection
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options(20, 4, 2000, 8000, Random.Shared.Next(1, int.MaxValue), null, false, TimeSpan.FromSeconds(90), false);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{args[i - 1]} needs a positive number");
            o = args[i] switch
            {
                "--rounds" => o with { Rounds = Number() },
                "--clients" => o with { Clients = Number() },
                "--min-up-ms" => o with { MinUpMs = Number() },
                "--max-up-ms" => o with { MaxUpMs = Number() },
                "--seed" => o with { Seed = Number() },
                "--dll" => o with { Dll = Path.GetFullPath(Next()) },
                "--startup-timeout" => o with { StartupTimeout = TimeSpan.FromSeconds(Number()) },
                "--keep" => o with { Keep = true },
                "--help" or "-h" => o with { Help = true },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return o.MaxUpMs < o.MinUpMs ? throw new ArgumentException("--max-up-ms must not be below --min-up-ms") : o;
    }
}

/// <summary>One portal process at a time, run from its dll (no `dotnet run` wrapper: the process killed is the server).</summary>
internal sealed class Portal(string dll, string work) : IDisposable
{
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;
    private volatile Uri? _baseAddress;

    /// <summary>Null while the portal is down; reporters wait for it.</summary>
    public Uri? BaseAddress => _baseAddress;
    public string DatabasePath => Path.Combine(work, "portal.db");
    public string LogTail => string.Join('\n', _log.TakeLast(40));

    public IEnumerable<string> StorageArguments =>
    [
        $"--Database:SqlitePath={DatabasePath}",
        $"--DataProtection:KeyRingPath={Path.Combine(work, "keys")}",
        $"--Audit:HeadFilePath={Path.Combine(work, "audit-head.txt")}",
    ];

    public async Task StartAsync(TimeSpan timeout, CancellationToken ct)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = work,
        };
        foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{port}" }.Concat(StorageArguments).Concat(
        [
            "--Demo:Seed=true",
            "--Intake:SubmissionsPerClientPerHour=100000", "--Intake:SubmissionsPerHour=100000",
            "--Intake:FailedReceiptsPerClientPerHour=100000",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
        ]))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _process = Process.Start(start) ?? throw new PortalException("could not start dotnet");
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var address = new Uri($"http://127.0.0.1:{port}/");
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new PortalException($"the portal exited with code {_process.ExitCode} while starting");
            try
            {
                using var health = await probe.GetAsync(new Uri(address, "health"), ct);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    _baseAddress = address;
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // a probe timed out
            }
            await Task.Delay(100, ct);
        }
        Kill();
        throw new PortalException($"/health did not answer 200 within {timeout.TotalSeconds:F0} s");
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a power cut for the process (not for the OS).</summary>
    public void Kill()
    {
        _baseAddress = null;
        if (_process is null)
            return;
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(15)))
                throw new PortalException($"process {_process.Id} did not die after SIGKILL");
        }
        finally
        {
            _process.Dispose();
            _process = null;
        }
    }

    /// <summary>A graceful stop (SIGTERM), falling back to SIGKILL after 20 s.</summary>
    public async Task StopAsync()
    {
        _baseAddress = null;
        if (_process is null || _process.HasExited)
        {
            Kill();
            return;
        }
        using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false }))
            await (term?.WaitForExitAsync() ?? Task.CompletedTask);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // did not stop in time: Kill below
        }
        Kill();
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (PortalException)
        {
            // reported elsewhere
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
            return;
        _log.Enqueue(line);
        while (_log.Count > 200)
            _log.TryDequeue(out _);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>An anonymous reporter in a loop, as tests/Shared/PortalFactory.cs Forms.SubmitConcernAsync posts: GET for the token, multipart POST.</summary>
internal static class Reporter
{
    private static readonly byte[] Note = Encoding.UTF8.GetBytes("Evidence note: bucket gov-intercepts holds call recordings.\n");

    public static async Task RunAsync(Portal portal, Stats stats, ConcurrentQueue<Ack> acks, CancellationToken stop)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer(), ConnectTimeout = TimeSpan.FromSeconds(2),
        }) { Timeout = TimeSpan.FromSeconds(30) };
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var address = portal.BaseAddress;
            var posted = false;
            try
            {
                if (address is null)
                {
                    await Task.Delay(25, stop);
                    continue;
                }
                var form = await http.GetStringAsync(new Uri(address, "report"), stop);
                using var content = new MultipartFormDataContent
                {
                    { new StringContent(Program.TokenFrom(form)), "__RequestVerificationToken" },
                    { new StringContent("report"), "_handler" },
                    { new StringContent("anonymous"), "Model.Mode" },
                    { new StringContent("Ministry of Interior (account 4471)"), "Model.Customer" },
                    { new StringContent("cloud-storage"), "Model.ProductKey" },
                    { new StringContent("mass-surveillance"), "Model.MisuseTypeKey" },
                    { new StringContent($"Crash-safety concern {Guid.NewGuid():N}: recordings of civilians in bucket gov-intercepts."), "Model.Description" },
                    { new StringContent("Since March, eu-west region"), "Model.WhenWhere" },
                    { new StringContent("SawIt"), "Model.HowKnown" },
                    { new StringContent("Yes"), "Model.Ongoing" },
                    { new StringContent(""), "Model.PeopleInvolved" },
                };
                if (n++ % 2 == 0)
                {
                    var file = new ByteArrayContent(Note);
                    file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
                    content.Add(file, "attachments", "note.txt");
                }
                stats.AddAttempt();
                posted = true;
                using var response = await http.PostAsync(new Uri(address, "report"), content, stop);
                var html = await response.Content.ReadAsStringAsync(stop);
                var receipt = Program.Receipt().Match(html);
                var reference = Program.Reference().Match(html);
                if (response.StatusCode == HttpStatusCode.OK && receipt.Success && reference.Success)
                    acks.Enqueue(new Ack(receipt.Groups[1].Value, reference.Groups[1].Value));   // the reporter has seen it: it must never be lost
                else
                    stats.AddRefused();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                if (posted)
                    stats.AddInterrupted();
                break;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or InvalidDataException)
            {
                if (posted)
                    stats.AddInterrupted();
                try
                {
                    await Task.Delay(25, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }
}

/// <summary>Opens every acknowledged receipt in /followup, as a reporter would, each in a fresh cookie jar.</summary>
internal static class Verifier
{
    public static async Task<(int Verified, IReadOnlyList<string> Failures)> VerifyAsync(Uri address, IReadOnlyList<Ack> acks, CancellationToken ct)
    {
        var verified = 0;
        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(acks, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (ack, token) =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var outcome = await OpenAsync(address, ack, token);
                    if (outcome is null)
                        Interlocked.Increment(ref verified);
                    else
                        failures.Enqueue($"{ack.Reference}: {outcome}");
                    return;
                }
                catch (Exception e) when (attempt < 3 && e is HttpRequestException or IOException or TaskCanceledException or InvalidDataException)
                {
                    await Task.Delay(200, token);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or InvalidDataException)
                {
                    failures.Enqueue($"{ack.Reference}: {e.GetType().Name} {e.Message}");
                    return;
                }
            }
        });
        return (verified, failures.ToList());
    }

    /// <summary>Null when the receipt opened the inbox of its own case; otherwise what went wrong.</summary>
    private static async Task<string?> OpenAsync(Uri address, Ack ack, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var followUp = new Uri(address, "followup");
        var page = await http.GetStringAsync(followUp, ct);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Program.TokenFrom(page), ["_handler"] = "receipt", ["ReceiptInput.Receipt"] = ack.Receipt,
        });
        using var opened = await http.PostAsync(followUp, form, ct);
        if (opened.StatusCode != HttpStatusCode.Redirect)
            return $"POST /followup answered {(int)opened.StatusCode}, not 302";
        var inbox = await http.GetStringAsync(followUp, ct);
        return inbox.Contains("data-testid=\"inbox\"", StringComparison.Ordinal) && inbox.Contains(ack.Reference, StringComparison.Ordinal)
            ? null
            : "the inbox did not show the case";
    }
}

/// <summary>
/// The files exactly as the kill left them, checked on a copy (database and write-ahead log, no shared-memory index,
/// as after a reboot) so that the portal itself still does the recovery on its next start.
/// </summary>
internal sealed record CrashCheck(string QuickCheck, long Cases, int Missing)
{
    public static CrashCheck Run(string work, IReadOnlyCollection<Ack> acknowledged)
    {
        var copy = Path.Combine(work, "crash-copy");
        if (Directory.Exists(copy))
            Directory.Delete(copy, recursive: true);
        Directory.CreateDirectory(copy);
        var database = Path.Combine(copy, "portal.db");
        File.Copy(Path.Combine(work, "portal.db"), database);
        if (File.Exists(Path.Combine(work, "portal.db-wal")))
            File.Copy(Path.Combine(work, "portal.db-wal"), database + "-wal");

        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var quick = connection.CreateCommand();
        quick.CommandText = "PRAGMA quick_check;";
        var result = Convert.ToString(quick.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
        using var references = connection.CreateCommand();
        references.CommandText = "SELECT Reference FROM Cases;";
        var stored = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = references.ExecuteReader())
        {
            while (reader.Read())
                stored.Add(reader.GetString(0));
        }
        connection.Close();
        Directory.Delete(copy, recursive: true);
        return new CrashCheck(result, stored.Count, acknowledged.Count(a => !stored.Contains(a.Reference)));
    }
}
