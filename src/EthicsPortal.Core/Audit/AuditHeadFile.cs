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

    public void Write(long sequence, string hash)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        var temp = _path + ".tmp";
        File.WriteAllText(temp, string.Create(CultureInfo.InvariantCulture, $"{sequence} {hash}\n"));
        File.Move(temp, _path, overwrite: true);
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
