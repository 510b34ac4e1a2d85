using System.Globalization;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.Audit;

public sealed class AuditOptions
{
    /// <summary>Where the latest chain head is written, outside the database, so a truncated tail shows.</summary>
    public string HeadFilePath { get; set; } = "data/audit-head.txt";
}

/// <summary>Keeps a copy of the chain head outside the database: "sequence hash".</summary>
public sealed class AuditHeadFile(IOptions<AuditOptions> options)
{
    private readonly string _path = options.Value.HeadFilePath;

    /// <summary>
    /// Several portal processes may share one head file (several instances on one database): they write one at a time,
    /// each through its own temporary file, and never move the head backwards.
    /// </summary>
    public void Write(long sequence, string hash)
    {
        var full = Path.GetFullPath(_path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var gate = Exclusive(full + ".lock");
        if (Read() is { } current && current.Sequence >= sequence)
            return;
        var temp = string.Create(CultureInfo.InvariantCulture, $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        using (var file = new StreamWriter(temp, System.Text.Encoding.ASCII, Common.PrivateFiles.NewFile()))   // 0600 from the start
            file.Write(string.Create(CultureInfo.InvariantCulture, $"{sequence} {hash}\n"));
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>An exclusive lock that other processes respect (.NET takes an advisory lock for FileShare.None).</summary>
    private static FileStream Exclusive(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 400)
            {
                Thread.Sleep(5);
            }
        }
    }

    public (long Sequence, string Hash)? Read()
    {
        if (!File.Exists(_path))
            return null;
        var parts = File.ReadAllText(_path).Trim().Split(' ');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            ? (seq, parts[1])
            : null;
    }
}
