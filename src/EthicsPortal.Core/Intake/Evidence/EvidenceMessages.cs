namespace EthicsPortal.Core.Intake.Evidence;

/// <summary>
/// Reporter-facing refusal messages, kept together so they can move to a resource file as one piece. The reader
/// may be frightened and non-technical: say calmly what happened and what to do, never blame.
/// </summary>
internal static class EvidenceMessages
{
    public const string Accepted = "You can attach JPEG, PNG, PDF, Word (.docx), Excel (.xlsx) and plain text (.txt) files.";

    public static string Empty(string name) => $"“{name}” is empty, so there is nothing to attach.";

    public static string Program(string name, EvidenceKind? claimed) =>
        $"{Opening(name, claimed, "contains a program")}. Programs and archives cannot be attached. {Accepted}";

    public static string Archive(string name, EvidenceKind? claimed) =>
        $"{Opening(name, claimed, "is a compressed archive")}. Programs and archives cannot be attached; please attach the files inside it one by one. {Accepted}";

    public static string LegacyOffice(string name) =>
        $"“{name}” is in an older Word or Excel format (.doc or .xls), which can hide programs. Please save it as .docx or .xlsx and attach it again.";

    public static string Unknown(string name, EvidenceKind? claimed) => claimed switch
    {
        EvidenceKind.Text => $"“{name}” is not plain text we can read: it contains characters that are not UTF-8 text, or hidden control characters. Please save it as UTF-8 text, or attach the original document. {Accepted}",
        null => $"“{name}” is not a kind of file we can accept. {Accepted}",
        _ => $"“{name}” is not {Article(claimed.Value)}: we could not recognise what it contains. {Accepted}",
    };

    public static string Mismatch(string name, EvidenceKind claimed, EvidenceKind detected) =>
        $"“{name}” is not {Article(claimed)}: it is actually {Contents(detected)}. Please check that you picked the right file, or give it a name ending in {DefaultExtension(detected)}.";

    public static string UnsupportedExtension(string name, string extension) =>
        $"“{name}” cannot be attached because files ending in “{extension}” are not accepted. {Accepted}";

    public static string Bomb(string name, string reason) =>
        $"“{name}” looks like a compressed bomb: {reason}. It cannot be attached.";

    public static string Damaged(string name, EvidenceKind? kind) =>
        $"“{name}” could not be read{(kind is { } k ? " as " + Article(k) : "")}; it may be damaged or incomplete. Please save or export it again and attach the new copy.";

    public static string ImageTooLarge(string name, int width, int height) =>
        $"“{name}” is too large a picture ({width} × {height} pixels) for us to check safely. Please attach a smaller copy, for example a screenshot.";

    public static string PdfPassword(string name) =>
        $"“{name}” is protected with a password, so we cannot check it or remove hidden details. Please remove the password (for example by printing it to a new PDF) and attach it again.";

    public static string PdfAttachments(string name) =>
        $"“{name}” has other files attached inside it, which we cannot check. Please attach those files separately, with a copy of the PDF that has none inside (for example by printing it to a new PDF).";

    public static string OfficeMacros(string name, EvidenceKind kind) =>
        $"“{name}” contains macros or embedded programs, which cannot be attached. Please save it as a plain {DefaultExtension(kind)} file without macros and attach it again.";

    public static string OfficeEmbeddedObject(string name) =>
        $"“{name}” contains an embedded object we cannot check (for example a file pasted inside it). Please attach that object as a separate file, and the document without it.";

    public static string CleanFailed(string name) =>
        $"“{name}” could not be cleaned of hidden details, so it was not attached. Please save it again, or attach a screenshot instead.";

    static string Opening(string name, EvidenceKind? claimed, string what) =>
        claimed is { } kind ? $"“{name}” is not {Article(kind)}: it {what}" : $"“{name}” {what}";

    internal static string Article(EvidenceKind kind) => kind switch
    {
        EvidenceKind.Jpeg => "a JPEG image",
        EvidenceKind.Png => "a PNG image",
        EvidenceKind.Pdf => "a PDF",
        EvidenceKind.Docx => "a Word document",
        EvidenceKind.Xlsx => "an Excel workbook",
        _ => "a plain text file",
    };

    static string Contents(EvidenceKind kind) => kind switch
    {
        EvidenceKind.Text => "plain text",
        _ => Article(kind),
    };

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
