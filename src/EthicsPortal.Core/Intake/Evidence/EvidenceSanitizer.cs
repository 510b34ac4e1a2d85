using System.Globalization;
using System.Text;
using EthicsPortal.Core.Common;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.Intake.Evidence;

/// <summary>
/// Checks an uploaded file by its content (never its name) and removes what could identify the reporter: photo
/// EXIF/GPS/XMP/IPTC, PDF document information and XMP, Office authors, editors and comment authors. Works on
/// bytes in memory only; nothing is written to disk. A hostile or damaged file is a validation error, never an
/// exception.
/// </summary>
public sealed class EvidenceSanitizer(IOptions<EvidenceOptions> options)
{
    const int MaxFileNameLength = 200;
    const string FallbackName = "attachment";

    static readonly Dictionary<string, EvidenceKind> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = EvidenceKind.Jpeg,
        [".jpeg"] = EvidenceKind.Jpeg,
        [".png"] = EvidenceKind.Png,
        [".pdf"] = EvidenceKind.Pdf,
        [".docx"] = EvidenceKind.Docx,
        [".xlsx"] = EvidenceKind.Xlsx,
        [".txt"] = EvidenceKind.Text,
        [".text"] = EvidenceKind.Text,
        [".md"] = EvidenceKind.Text,
        [".csv"] = EvidenceKind.Text,
        [".log"] = EvidenceKind.Text,
    };

    public Result<CleanEvidence> Clean(EvidenceFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var settings = options.Value;
        var fileName = SafeFileName(file.FileName);
        var shown = fileName.Length > 0 ? fileName : FallbackName;
        var content = file.ReadAll();

        var extension = Path.GetExtension(fileName);
        EvidenceKind? claimed = Extensions.TryGetValue(extension, out var named) ? named : null;
        EvidenceKind? attempted = claimed;

        try
        {
            var detected = Detect(shown, content, claimed, settings);
            if (!detected.Succeeded)
                return detected.Error!;
            var kind = detected.Value;
            attempted = kind;

            if (extension.Length > 0 && claimed is null)
                return Error.Validation(EvidenceMessages.UnsupportedExtension(shown, extension));
            if (claimed is { } expected && expected != kind)
                return Error.Validation(EvidenceMessages.Mismatch(shown, expected, kind));

            var cleaned = kind switch
            {
                EvidenceKind.Jpeg or EvidenceKind.Png => ImageCleaner.Clean(shown, kind, content, settings.MaxImagePixels),
                EvidenceKind.Pdf => PdfCleaner.Clean(shown, content),
                EvidenceKind.Docx or EvidenceKind.Xlsx => OfficeCleaner.Clean(shown, kind, content, settings),
                _ => new CleanedContent(content, []),
            };
            if (!cleaned.Succeeded)
                return cleaned.Error!;

            var storedName = fileName.Length > 0 ? fileName : FallbackName + EvidenceMessages.DefaultExtension(kind);
            return new CleanEvidence(storedName, kind, ContentType(kind), cleaned.Value!.Content, cleaned.Value.Removed);
        }
#pragma warning disable CA1031 // Parsers meet hostile bytes here; any failure of theirs means "we cannot read this file", never a crash.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Error.Validation(EvidenceMessages.Damaged(shown, attempted));
        }
    }

    static Result<EvidenceKind> Detect(string shown, byte[] content, EvidenceKind? claimed, EvidenceOptions settings) =>
        FileTypeDetector.Detect(content) switch
        {
            ContentFamily.Jpeg => EvidenceKind.Jpeg,
            ContentFamily.Png => EvidenceKind.Png,
            ContentFamily.Pdf => EvidenceKind.Pdf,
            ContentFamily.Text => EvidenceKind.Text,
            ContentFamily.Zip => OfficeCleaner.Classify(shown, content, settings, claimed),
            ContentFamily.Empty => Error.Validation(EvidenceMessages.Empty(shown)),
            ContentFamily.Program => Error.Validation(EvidenceMessages.Program(shown, claimed)),
            ContentFamily.Archive => Error.Validation(EvidenceMessages.Archive(shown, claimed)),
            ContentFamily.LegacyOffice => Error.Validation(EvidenceMessages.LegacyOffice(shown)),
            _ => Error.Validation(EvidenceMessages.Unknown(shown, claimed)),
        };

    static string ContentType(EvidenceKind kind) => kind switch
    {
        EvidenceKind.Jpeg => "image/jpeg",
        EvidenceKind.Png => "image/png",
        EvidenceKind.Pdf => "application/pdf",
        EvidenceKind.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        EvidenceKind.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "text/plain; charset=utf-8",
    };

    /// <summary>
    /// The last path segment, without control or invisible formatting characters (a right-to-left override can make
    /// "gpj.exe" look like "exe.jpg"), trimmed, at most 200 characters with the extension kept.
    /// </summary>
    internal static string SafeFileName(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
            return "";
        var lastSegment = raw[(raw.LastIndexOfAny(['/', '\\']) + 1)..];

        var builder = new StringBuilder(lastSegment.Length);
        foreach (var rune in lastSegment.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate))
                builder.Append(rune.ToString());
        }
        var name = builder.ToString().Trim().TrimEnd('.', ' ');
        if (name.Length <= MaxFileNameLength)
            return name;

        var extension = Path.GetExtension(name);
        if (extension.Length > 20)
            extension = "";
        var cut = MaxFileNameLength - extension.Length;
        if (char.IsHighSurrogate(name[cut - 1]))
            cut--;
        return name[..cut].TrimEnd() + extension;
    }
}
