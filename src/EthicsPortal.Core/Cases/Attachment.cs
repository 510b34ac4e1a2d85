using EthicsPortal.Core.Intake.Evidence;

namespace EthicsPortal.Core.Cases;

/// <summary>
/// Evidence attached to a case, after its identifying metadata was removed. The name and the bytes are
/// encrypted; the content lives in its own row so that listing attachments never loads megabytes.
/// </summary>
public sealed class Attachment : ICaseOrdered
{
    public const int RemovedSummaryMaxLength = 1000;

    private Attachment() { }

    public int Id { get; private set; }
    public int CaseId { get; private set; }
    public int Seq { get; private set; }
    int ICaseOrdered.Seq { get => Seq; set => Seq = value; }
    public byte[] FileNameCiphertext { get; private set; } = [];
    public EvidenceKind Kind { get; private set; }
    public string ContentType { get; private set; } = "";
    public long SizeBytes { get; private set; }

    /// <summary>What the stripping step removed, in plain words (no values), so handlers know what is missing.</summary>
    public string RemovedSummary { get; private set; } = "";

    public DateTimeOffset AddedAt { get; private set; }
    public string AddedBy { get; private set; } = "";
    public AttachmentContent Content { get; private set; } = default!;

    public static Attachment Create(byte[] fileNameCiphertext, CleanEvidence evidence, byte[] contentCiphertext, DateTimeOffset addedAt, string addedBy)
        => new()
        {
            FileNameCiphertext = fileNameCiphertext,
            Kind = evidence.Kind,
            ContentType = evidence.ContentType,
            SizeBytes = evidence.Content.LongLength,
            RemovedSummary = Truncate(string.Join("; ", evidence.Removed)),
            AddedAt = addedAt,
            AddedBy = addedBy,
            Content = new AttachmentContent(contentCiphertext),
        };

    private static string Truncate(string s) => s.Length <= RemovedSummaryMaxLength ? s : s[..RemovedSummaryMaxLength];
}

public sealed class AttachmentContent
{
    private AttachmentContent() { }

    internal AttachmentContent(byte[] ciphertext) => Ciphertext = ciphertext;

    public int AttachmentId { get; private set; }
    public byte[] Ciphertext { get; private set; } = [];
}
