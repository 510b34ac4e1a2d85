using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;
using EthicsPortal.Core.Common;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.IO;

namespace EthicsPortal.Core.Intake.Evidence;

/// <summary>
/// Removes the document information (author, creating application, dates…), every XMP metadata stream, the
/// trailer file ID, scripts, and the metadata blocks of embedded JPEG pictures from a PDF, then saves a new copy.
/// </summary>
/// <remarks>
/// PDFsharp writes its own name as Producer, a fresh XMP packet (empty title/author, random document IDs) and a
/// "Created with PDFsharp" comment on save; none of them names the reporter or the original software.
/// </remarks>
internal static class PdfCleaner
{
    static readonly Dictionary<string, string> InfoWords = new(StringComparer.Ordinal)
    {
        ["/Author"] = "author",
        ["/Creator"] = "creating application",
        ["/Producer"] = "PDF software",
        ["/Title"] = "title",
        ["/Subject"] = "subject",
        ["/Keywords"] = "keywords",
        ["/CreationDate"] = "creation date",
        ["/ModDate"] = "date last changed",
        ["/Trapped"] = "",
    };

    public static Result<CleanedContent> Clean(string name, byte[] content)
    {
        var needsPassword = false;
        PdfDocument? document;
        try
        {
            using var input = new MemoryStream(content, writable: false);
            document = PdfReader.Open(input, PdfDocumentOpenMode.Modify, args =>
            {
                needsPassword = true;
                args.Abort = true;
            });
        }
        catch (Exception) when (needsPassword || LooksEncrypted(content))
        {
            return Error.Validation(EvidenceMessages.PdfPassword(name));
        }
        // PDFsharp returns null, despite its signature, when the password prompt is aborted.
        if (document is null || needsPassword)
            return Error.Validation(EvidenceMessages.PdfPassword(name));

        using (document)
        {
            if (document.SecuritySettings.IsEncrypted)
                return Error.Validation(EvidenceMessages.PdfPassword(name));
            if (HasAttachedFiles(document))
                return Error.Validation(EvidenceMessages.PdfAttachments(name));

            var removed = new List<string>();
            var originalValues = ClearInfo(document, content, removed);
            RemoveFromAllObjects(document, removed);
            RemoveScripts(document, removed);
            AnonymiseAnnotations(document, removed);
            ReplaceFileId(document);

            using var output = new MemoryStream();
            document.Save(output);
            var cleaned = output.ToArray();
            return SavedCopyIsClean(cleaned, originalValues) ? new CleanedContent(cleaned, removed) : Error.Validation(EvidenceMessages.CleanFailed(name));
        }
    }

    /// <summary>
    /// Re-reads the saved copy: its information dictionary may hold only PDFsharp's empty Creator and its own
    /// Producer, and neither it nor the new XMP packet may repeat any original value. (The page text is not searched:
    /// a memo may rightly contain its author's name or its title.)
    /// </summary>
    static bool SavedCopyIsClean(byte[] saved, List<string> originalValues)
    {
        using var input = new MemoryStream(saved, writable: false);
        using var copy = PdfReader.Open(input, PdfDocumentOpenMode.Import);
        var info = copy.Info.Elements;
        if (info.Keys.Any(k => k is not ("/Creator" or "/Producer")) || copy.Info.Creator.Length > 0
            || !copy.Info.Producer.StartsWith("PDFsharp", StringComparison.Ordinal) || copy.Info.Producer.Contains("Original", StringComparison.Ordinal))
            return false;
        var xmp = copy.Internals.Catalog.Elements.GetDictionary("/Metadata")?.Stream?.UnfilteredValue is { } bytes ? XmpValues(bytes) : "";
        return !originalValues.Any(v => xmp.Contains(v, StringComparison.Ordinal) || copy.Info.Producer.Contains(v, StringComparison.Ordinal));
    }

    /// <summary>The text values of an XMP packet (not its tag names, which a short title could match by chance).</summary>
    static string XmpValues(byte[] packet)
    {
        using var stream = new MemoryStream(packet, writable: false);
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        return string.Join("\n", XDocument.Load(reader).DescendantNodes().OfType<XText>().Select(t => t.Value));
    }

    static bool LooksEncrypted(byte[] content) => content.AsSpan().IndexOf("/Encrypt"u8) >= 0;

    /// <summary>Empties the information dictionary; returns its former text values, to check the saved copy against.</summary>
    static List<string> ClearInfo(PdfDocument document, byte[] content, List<string> removed)
    {
        var info = document.Info;
        var values = new List<string>();
        foreach (var key in info.Elements.Keys)
        {
            if (info.Elements[key] is PdfString { Value.Length: >= 3 } text && !text.Value.StartsWith("PDFsharp", StringComparison.Ordinal))
                values.Add(text.Value);
            // PDFsharp stamps /ModDate itself when it opens a file for editing; report it only if the file had one.
            if (key == "/ModDate" && content.AsSpan().IndexOf("/ModDate"u8) < 0)
                continue;
            var value = info.Elements[key];
            if (value is null || (value is PdfString s && string.IsNullOrWhiteSpace(s.Value)))
                continue;
            var word = InfoWords.GetValueOrDefault(key, "other document properties");
            if (word.Length > 0)
                Add(removed, word);
        }

        info.Elements.Clear();
        // PDFsharp fills /Creator only when it is missing; an empty one stays empty. It always sets /Producer to
        // its own name (and appends any existing producer), which is why the old value is cleared first.
        info.Elements.SetString("/Creator", "");
        return values;
    }

    /// <summary>Drops XMP (/Metadata) and application private data (/PieceInfo) from every object, pages included.</summary>
    static void RemoveFromAllObjects(PdfDocument document, List<string> removed)
    {
        foreach (var item in document.Internals.GetAllObjects())
        {
            if (item is not PdfDictionary dictionary)
                continue;
            if (dictionary.Elements.Remove("/Metadata"))
                Add(removed, "XMP metadata");
            if (dictionary.Elements.Remove("/PieceInfo"))
                Add(removed, "application data");
            if (IsJpegImage(dictionary) && dictionary.Stream?.Value is { } jpeg
                && EmbeddedImageStripper.Strip(jpeg, keepOrientation: false) is { } stripped && stripped.Length != jpeg.Length)
            {
                foreach (var word in ImageMetadataReport.Describe(jpeg))
                    Add(removed, $"{word} (from a picture inside the PDF)");
                dictionary.Stream.Value = stripped;
            }
        }
    }

    static bool IsJpegImage(PdfDictionary dictionary)
    {
        if (dictionary.Elements.GetName("/Subtype") != "/Image")
            return false;
        var filter = dictionary.Elements["/Filter"];
        return (filter is PdfReference reference ? reference.Value : filter) switch
        {
            PdfName name => name.Value == "/DCTDecode",
            PdfArray { Elements.Count: 1 } array => array.Elements.GetName(0) == "/DCTDecode",
            _ => false,
        };
    }

    static bool HasAttachedFiles(PdfDocument document)
    {
        var names = document.Internals.Catalog.Elements.GetDictionary("/Names");
        if (names?.Elements.ContainsKey("/EmbeddedFiles") == true)
            return true;
        foreach (var page in document.Pages)
        {
            var annotations = page.Elements.GetArray("/Annots");
            for (var i = 0; i < (annotations?.Elements.Count ?? 0); i++)
            {
                if (annotations!.Elements.GetDictionary(i)?.Elements.GetName("/Subtype") == "/FileAttachment")
                    return true;
            }
        }
        return false;
    }

    /// <summary>Scripts can phone home when the file is opened; they are not evidence.</summary>
    static void RemoveScripts(PdfDocument document, List<string> removed)
    {
        var catalog = document.Internals.Catalog;
        var names = catalog.Elements.GetDictionary("/Names");
        if (names?.Elements.ContainsKey("/JavaScript") == true)
        {
            names.Elements.Remove("/JavaScript");
            Add(removed, "scripts");
        }
        if (catalog.Elements.GetDictionary("/OpenAction") is { } openAction && IsScript(openAction))
        {
            catalog.Elements.Remove("/OpenAction");
            Add(removed, "scripts");
        }
        foreach (var item in document.Internals.GetAllObjects())
        {
            if (item is not PdfDictionary dictionary)
                continue;
            if (dictionary.Elements.Remove("/AA"))
                Add(removed, "scripts");
            if (dictionary.Elements.GetDictionary("/A") is { } action && IsScript(action))
            {
                dictionary.Elements.Remove("/A");
                Add(removed, "scripts");
            }
        }
    }

    static bool IsScript(PdfDictionary action) =>
        action.Elements.GetName("/S") is "/JavaScript" or "/Launch" or "/SubmitForm" or "/ImportData";

    /// <summary>Comments and highlights carry their author's name in /T.</summary>
    static void AnonymiseAnnotations(PdfDocument document, List<string> removed)
    {
        foreach (var page in document.Pages)
        {
            var annotations = page.Elements.GetArray("/Annots");
            for (var i = 0; i < (annotations?.Elements.Count ?? 0); i++)
            {
                var annotation = annotations!.Elements.GetDictionary(i);
                if (annotation is null || annotation.Elements.GetName("/Subtype") is "/Widget" or "/Link")
                    continue;   // a form field's /T is its field name, not a person
                if (!string.IsNullOrWhiteSpace(annotation.Elements.GetString("/T")) && annotation.Elements.GetString("/T") != "Anonymous")
                {
                    annotation.Elements.SetString("/T", "Anonymous");
                    Add(removed, "comment authors");
                }
            }
        }
    }

    /// <summary>The trailer /ID can match this copy to the original on the reporter's computer; give it a random one.</summary>
    static void ReplaceFileId(PdfDocument document)
    {
        // The ID strings hold raw bytes, one per char.
        var id = System.Text.Encoding.Latin1.GetString(RandomNumberGenerator.GetBytes(16));
        document.Internals.FirstDocumentID = id;
        document.Internals.SecondDocumentID = id;
    }

    static void Add(List<string> removed, string item)
    {
        if (!removed.Contains(item))
            removed.Add(item);
    }
}
