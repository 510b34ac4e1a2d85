using EthicsPortal.Core.Common;

namespace EthicsPortal.Core.Intake.Evidence;

/// <summary>
/// Reporter-facing refusal messages, from Resources/ReporterMessages.resx. The reader may be frightened and
/// non-technical: say calmly what happened and what to do, never blame. Whole sentences per case, so that
/// translators never have to glue fragments together.
/// </summary>
internal static class EvidenceMessages
{
    public static string Accepted => ReporterMessages.Text("Evidence.Accepted");

    public static string Empty(string name) => ReporterMessages.Text("Evidence.Empty", name);

    public static string Program(string name, EvidenceKind? claimed) => claimed is { } kind
        ? ReporterMessages.Text("Evidence.ProgramClaimed", name, Article(kind), Accepted)
        : ReporterMessages.Text("Evidence.Program", name, Accepted);

    public static string Archive(string name, EvidenceKind? claimed) => claimed is { } kind
        ? ReporterMessages.Text("Evidence.ArchiveClaimed", name, Article(kind), Accepted)
        : ReporterMessages.Text("Evidence.Archive", name, Accepted);

    public static string LegacyOffice(string name) => ReporterMessages.Text("Evidence.LegacyOffice", name);

    public static string Unknown(string name, EvidenceKind? claimed) => claimed switch
    {
        EvidenceKind.Text => ReporterMessages.Text("Evidence.UnknownText", name, Accepted),
        null => ReporterMessages.Text("Evidence.Unknown", name, Accepted),
        _ => ReporterMessages.Text("Evidence.UnknownClaimed", name, Article(claimed.Value), Accepted),
    };

    public static string Mismatch(string name, EvidenceKind claimed, EvidenceKind detected)
        => ReporterMessages.Text("Evidence.Mismatch", name, Article(claimed), Contents(detected), DefaultExtension(detected));

    public static string UnsupportedExtension(string name, string extension)
        => ReporterMessages.Text("Evidence.UnsupportedExtension", name, extension, Accepted);

    /// <summary><paramref name="reasonKey"/> is one of the Evidence.Bomb.* keys.</summary>
    public static string Bomb(string name, string reasonKey) => ReporterMessages.Text("Evidence.Bomb", name, ReporterMessages.Text(reasonKey));

    public static string Damaged(string name, EvidenceKind? kind) => kind is { } k
        ? ReporterMessages.Text("Evidence.DamagedAs", name, Article(k))
        : ReporterMessages.Text("Evidence.Damaged", name);

    public static string ImageTooLarge(string name, int width, int height) => ReporterMessages.Text("Evidence.ImageTooLarge", name, width, height);

    public static string PdfPassword(string name) => ReporterMessages.Text("Evidence.PdfPassword", name);

    public static string PdfAttachments(string name) => ReporterMessages.Text("Evidence.PdfAttachments", name);

    public static string OfficeMacros(string name, EvidenceKind kind) => ReporterMessages.Text("Evidence.OfficeMacros", name, DefaultExtension(kind));

    public static string OfficeEmbeddedObject(string name) => ReporterMessages.Text("Evidence.OfficeEmbeddedObject", name);

    public static string CleanFailed(string name) => ReporterMessages.Text("Evidence.CleanFailed", name);

    internal static string Article(EvidenceKind kind) => ReporterMessages.Text($"Kind.{kind}");

    static string Contents(EvidenceKind kind) => kind == EvidenceKind.Text ? ReporterMessages.Text("Kind.TextContents") : Article(kind);

    internal static string DefaultExtension(EvidenceKind kind) => kind switch
    {
        EvidenceKind.Jpeg => ".jpg",
        EvidenceKind.Png => ".png",
        EvidenceKind.Pdf => ".pdf",
        EvidenceKind.Docx => ".docx",
        EvidenceKind.Xlsx => ".xlsx",
        _ => ".txt",
    };
}
