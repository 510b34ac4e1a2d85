using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using SkiaSharp;

// #15 M2: the portal's resident memory while N reporters upload 4 × 25 MB of evidence each, at the same time. The
// built portal runs as its own process (Release, Production, --demo, shipped limits), so this program's own buffers
// never count; its memory is read from /proc/<pid>/status every 20 ms. Usage:
//   dotnet build src/EthicsPortal.Web -c Release && dotnet run -c Release --project bench/UploadBench -- [clients] [--at-once N]
var clients = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var c) ? c : 20;
var atOnceAt = Array.IndexOf(args, "--at-once");
var atOnce = atOnceAt >= 0 ? args[atOnceAt + 1] : null;
const int FileBytes = 25 * 1024 * 1024;

var repo = new DirectoryInfo(AppContext.BaseDirectory);
while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "EthicsPortal.sln")))
    repo = repo.Parent;
var dll = Path.Combine(repo?.FullName ?? ".", "src/EthicsPortal.Web/bin/Release/net10.0/EthicsPortal.Web.dll");
if (!File.Exists(dll))
{
    Console.WriteLine("Run `dotnet build src/EthicsPortal.Web -c Release` first.");
    return 1;
}

var files = Evidence.Make(FileBytes);
var folder = Path.Combine(Path.GetTempPath(), "ep-upload-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(folder);
var port = FreePort();
var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
string[] portalArgs =
[
    dll, "--demo", "--urls", $"http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning",
    $"--Database:SqlitePath={Path.Combine(folder, "portal.db")}",
    $"--DataProtection:KeyRingPath={Path.Combine(folder, "keys")}",
    $"--Audit:HeadFilePath={Path.Combine(folder, "audit-head.txt")}",
    $"--Intake:SpoolFolder={Path.Combine(folder, "spool")}",
];
foreach (var arg in portalArgs.Concat(atOnce is null ? [] : [$"--Intake:EvidenceAtOnce={atOnce}"]))
    start.ArgumentList.Add(arg);
start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
using var portal = Process.Start(start)!;
portal.OutputDataReceived += (_, _) => { };
portal.ErrorDataReceived += (_, e) => { if (e.Data is { } line && line.Contains("fail", StringComparison.Ordinal)) Console.Error.WriteLine(line); };
portal.BeginOutputReadLine();
portal.BeginErrorReadLine();
var baseUri = new Uri($"http://127.0.0.1:{port}");
try
{
    await WaitForAsync(baseUri);
    // One small concern first, so start-up and the first request's JIT are in the baseline, not in the peak.
    using (var warm = NewClient(baseUri))
        await SubmitAsync(warm, [("note.txt", Encoding.UTF8.GetBytes("warm-up"))]);
    await Task.Delay(2000);
    var baseline = Rss(portal.Id);

    long peak = baseline;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peak = Math.Max(peak, Rss(portal.Id));
            await Task.Delay(20);
        }
    });
    var spoolPeak = 0L;
    var watch = Stopwatch.StartNew();
    var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
    {
        using var client = NewClient(baseUri);
        var sw = Stopwatch.StartNew();
        var stored = await SubmitAsync(client, files);
        return (stored, sw.Elapsed.TotalSeconds);
    }));
    var wall = watch.Elapsed.TotalSeconds;
    await sampling.CancelAsync();
    await sampler;
    var hwm = Hwm(portal.Id);
    spoolPeak = Directory.Exists(Path.Combine(folder, "spool")) ? Directory.GetFiles(Path.Combine(folder, "spool")).Length : 0;

    var stored = results.Count(r => r.stored);
    var mb = (long bytes) => (bytes / (1024.0 * 1024)).ToString("N0", CultureInfo.InvariantCulture);
    var slowest = results.Max(r => r.Item2);
    var goal = 1024L * 1024 * 1024;
    Console.WriteLine();
    Console.WriteLine("| measure | goal | measured | verdict |");
    Console.WriteLine("|---|---|---|---|");
    Console.WriteLine($"| portal resident memory, {clients} concurrent uploads of 4 × 25 MB (evidence at once: {atOnce ?? "shipped"}) | < 1 GB, every upload stored | " +
                      $"peak {mb(peak)} MB sampled (kernel high-water mark {mb(hwm)} MB) over a baseline of {mb(baseline)} MB; {stored}/{clients} stored; " +
                      $"all done in {wall:N0} s (slowest {slowest:N0} s); spool files left by name: {spoolPeak} | {(hwm < goal && stored == clients ? "met" : "missed")} |");
    return 0;
}
finally
{
    if (!portal.HasExited)
        portal.Kill(entireProcessTree: true);
    await portal.WaitForExitAsync();
    try { Directory.Delete(folder, recursive: true); }
    catch (IOException) { /* a leftover temp folder is harmless */ }
}

static HttpClient NewClient(Uri baseUri) => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
{
    BaseAddress = baseUri,
    Timeout = TimeSpan.FromMinutes(15),
};

/// <summary>The form as a browser posts it; true when the portal answers with the receipt's redirect.</summary>
static async Task<bool> SubmitAsync(HttpClient client, IReadOnlyList<(string Name, byte[] Content)> files)
{
    var page = await client.GetStringAsync("/report");
    var token = WebUtility.HtmlDecode(Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
    using var content = new MultipartFormDataContent
    {
        { new StringContent(token), "__RequestVerificationToken" },
        { new StringContent("report"), "_handler" },
        { new StringContent("anonymous"), "Model.Mode" },
        { new StringContent("A government customer stores recordings of civilians' phone calls; exports attached."), "Model.Description" },
        { new StringContent("ai-services"), "Model.ProductKey" },
        { new StringContent("mass-surveillance"), "Model.MisuseTypeKey" },
        { new StringContent("SawIt"), "Model.HowKnown" },
        { new StringContent("Yes"), "Model.Ongoing" },
    };
    foreach (var (name, bytes) in files)
    {
        var file = new ByteArrayContent(bytes);   // the same arrays for every client: this process holds them once
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        content.Add(file, "attachments", name);
    }
    using var response = await client.PostAsync("/report", content);
    if (response.StatusCode != HttpStatusCode.Redirect)
        Console.Error.WriteLine($"not stored: {(int)response.StatusCode} {Regex.Match(await response.Content.ReadAsStringAsync(), "data-field-error[^>]*>([^<]+)").Groups[1].Value}");
    return response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.EndsWith("/report/receipt", StringComparison.Ordinal) == true;
}

static async Task WaitForAsync(Uri baseUri)
{
    using var probe = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(2) };
    for (var sw = Stopwatch.StartNew(); sw.Elapsed < TimeSpan.FromSeconds(90); await Task.Delay(100))
    {
        try
        {
            using var page = await probe.GetAsync("/report");
            if (page.StatusCode == HttpStatusCode.OK)
                return;
        }
        catch (HttpRequestException) { /* not listening yet */ }
        catch (TaskCanceledException) { /* a probe timed out */ }
    }
    throw new TimeoutException("The portal did not answer within 90 s.");
}

static long Rss(int pid) => StatusKb(pid, "VmRSS:") * 1024;
static long Hwm(int pid) => StatusKb(pid, "VmHWM:") * 1024;

static long StatusKb(int pid, string field)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith(field, StringComparison.Ordinal))
            return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
    return 0;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

/// <summary>What each reporter uploads: a 12-megapixel photo with GPS-like metadata padded to the file limit, and three exports.</summary>
internal static class Evidence
{
    public static IReadOnlyList<(string Name, byte[] Content)> Make(int fileBytes)
    {
        var random = new Random(42);
        using var bitmap = new SKBitmap(4000, 3000);
        var pixels = new byte[4000 * 3000 * 4];
        random.NextBytes(pixels);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        var jpeg = data.ToArray();
        var photo = new byte[fileBytes];   // bytes after the image's end are what a careless tool leaves; the cleaner drops them
        jpeg.CopyTo(photo, 0);
        photo.AsSpan(jpeg.Length).Fill((byte)' ');

        var line = Encoding.UTF8.GetBytes("2026-11-03 04:12 export intercept-batch-0042 → bucket gov-intercepts, 4,112 recordings, operator ÉTAT-7\n");
        byte[] Export()
        {
            var text = new byte[fileBytes];
            text.AsSpan().Fill((byte)' ');   // whole lines only: a cut '→' would not be UTF-8
            for (var at = 0; at + line.Length <= text.Length; at += line.Length)
                line.CopyTo(text.AsSpan(at));
            return text;
        }
        return [("photo.jpg", photo), ("export-1.txt", Export()), ("export-2.txt", Export()), ("export-3.txt", Export())];
    }
}
