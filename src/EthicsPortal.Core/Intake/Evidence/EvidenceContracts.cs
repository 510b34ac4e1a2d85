namespace EthicsPortal.Core.Intake.Evidence;

/// <summary>An uploaded file as the reporter sent it; held in memory only, never written to disk.</summary>
public sealed record EvidenceFile(string FileName, byte[] Content);

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
