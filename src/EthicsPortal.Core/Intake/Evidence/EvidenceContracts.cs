namespace EthicsPortal.Core.Intake.Evidence;

/// <summary>
/// An uploaded file as the reporter sent it: its name, its length, and a way to read it (from the request's encrypted
/// spool, never a plain file). Read only by the evidence step, one file at a time.
/// </summary>
public sealed record EvidenceFile(string FileName, long Length, Func<Stream> Open)
{
    public EvidenceFile(string fileName, byte[] content) : this(fileName, content.LongLength, () => new MemoryStream(content, writable: false)) { }

    /// <summary>The whole file in memory, for the cleaners; at most <see cref="IntakeOptions.MaxFileBytes"/> by then.</summary>
    internal byte[] ReadAll()
    {
        using var source = Open();
        var content = new byte[Length];
        source.ReadExactly(content);
        return content;
    }
}

/// <summary>
/// A file that passed the content checks, with identifying metadata removed. <see cref="Removed"/> names, in
/// plain words for the reporter, what was taken out (e.g. "GPS position", "camera make and model").
/// </summary>
public sealed record CleanEvidence(string FileName, EvidenceKind Kind, string ContentType, byte[] Content, IReadOnlyList<string> Removed);

public enum EvidenceKind { Jpeg, Png, Pdf, Docx, Xlsx, Text }

public sealed class EvidenceOptions
{
    /// <summary>Office files are zip archives; refuse any whose entries would expand beyond this.</summary>
    public long MaxExpandedBytes { get; set; } = 200L * 1024 * 1024;
    public int MaxArchiveEntries { get; set; } = 5_000;
    /// <summary>Refuse images larger than this many pixels before decoding them (decompression bombs).</summary>
    public long MaxImagePixels { get; set; } = 100_000_000;
}
