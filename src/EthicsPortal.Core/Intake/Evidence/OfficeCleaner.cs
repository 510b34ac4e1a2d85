using System.IO.Compression;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using EthicsPortal.Core.Common;

namespace EthicsPortal.Core.Intake.Evidence;

/// <summary>
/// Checks a zip's directory for bombs and tricks before anything is unpacked, recognises Word and Excel packages,
/// and rewrites them in memory without the names of the people who wrote, edited or commented on them.
/// </summary>
/// <remarks>
/// The package keeps the same parts in the same order and an untouched [Content_Types].xml; only XML parts that
/// carry identifying data are re-serialised, and pictures inside lose their metadata blocks losslessly.
/// </remarks>
internal static class OfficeCleaner
{
    const string ContentTypesPart = "[Content_Types].xml";
    const long LargeEntryBytes = 1024 * 1024;
    const long MaxCompressionRatio = 200;
    const int MaxNesting = 2;
    const string Anonymous = "Anonymous";

    static readonly XNamespace W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    static readonly XNamespace Spreadsheet = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    static readonly DateTimeOffset FixedEntryTime = new(1980, 1, 1, 12, 0, 0, TimeSpan.Zero);

    // Every part AnonymiseNames would change contains one of these (in element or attribute names).
    static readonly byte[][] NameMarkers =
        [.. new[] { "author", "initials", "userName", "userId", "providerId", "displayName", "rsid", "presenceInfo", "absPath", "attachedTemplate", "userInfo" }.Select(Encoding.UTF8.GetBytes)];

    static readonly Dictionary<string, string> CoreWords = new(StringComparer.Ordinal)
    {
        ["creator"] = "document author",
        ["lastModifiedBy"] = "last modified by",
        ["title"] = "title",
        ["subject"] = "subject",
        ["keywords"] = "keywords",
        ["description"] = "description",
        ["category"] = "category",
        ["created"] = "creation date",
        ["modified"] = "date last changed",
        ["lastPrinted"] = "date last printed",
        ["revision"] = "revision number",
        ["contentStatus"] = "status",
        ["identifier"] = "document identifier",
        ["language"] = "language",
        ["version"] = "version number",
    };

    static readonly Dictionary<string, string> AppWords = new(StringComparer.Ordinal)
    {
        ["Company"] = "company",
        ["Manager"] = "manager",
        ["Template"] = "template name",
        ["HyperlinkBase"] = "link base address",
    };

    static readonly HashSet<string> RevisionElements = new(StringComparer.Ordinal)
    {
        "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblPrExChange",
        "trPrChange", "tcPrChange", "tblGridChange", "numberingChange", "cellIns", "cellDel", "cellMerge",
    };

    /// <summary>Decides, from the zip directory alone, whether this is a Word or Excel package; refuses bombs and other archives.</summary>
    public static Result<EvidenceKind> Classify(string name, byte[] content, EvidenceOptions options, EvidenceKind? claimed)
    {
        using var archive = OpenZip(content);
        if (archive is null)
            return Error.Validation(EvidenceMessages.Damaged(name, claimed is EvidenceKind.Xlsx ? EvidenceKind.Xlsx : EvidenceKind.Docx));

        if (UnsafeReason(archive, options) is { } reason)
            return Error.Validation(EvidenceMessages.Bomb(name, reason));

        if (Has(archive, ContentTypesPart))
        {
            if (Has(archive, "word/document.xml"))
                return EvidenceKind.Docx;
            if (Has(archive, "xl/workbook.xml"))
                return EvidenceKind.Xlsx;
        }
        return Error.Validation(EvidenceMessages.Archive(name, claimed));
    }

    public static Result<CleanedContent> Clean(string name, EvidenceKind kind, byte[] content, EvidenceOptions options)
    {
        var removed = new List<string>();
        var cleaned = CleanPackage(name, kind, content, options, new ExpansionBudget(options.MaxExpandedBytes), removed, depth: 0);
        return cleaned.Succeeded ? new CleanedContent(cleaned.Value!, removed) : cleaned.Error!;
    }

    static Result<byte[]> CleanPackage(string name, EvidenceKind kind, byte[] content, EvidenceOptions options, ExpansionBudget budget, List<string> removed, int depth)
    {
        using var archive = OpenZip(content);
        if (archive is null || !Has(archive, ContentTypesPart))
            return Error.Validation(depth == 0 ? EvidenceMessages.Damaged(name, kind) : EvidenceMessages.OfficeEmbeddedObject(name));
        if (UnsafeReason(archive, options) is { } reason)
            return Error.Validation(EvidenceMessages.Bomb(name, reason));

        using var output = new MemoryStream();
        using (var writer = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in archive.Entries)
            {
                if (IsMacroPart(entry.FullName))
                    return Error.Validation(EvidenceMessages.OfficeMacros(name, kind));

                // The directory's sizes were checked already; this also stops an entry that unpacks to more than it claims.
                var bytes = ReadBounded(entry, budget);
                if (bytes is null)
                    return Error.Validation(EvidenceMessages.Bomb(name, "Evidence.Bomb.Expands"));

                var part = CleanPart(name, kind, entry.FullName, bytes, options, budget, removed, depth);
                if (!part.Succeeded)
                    return part.Error!;

                var target = writer.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                target.LastWriteTime = FixedEntryTime;   // zip times are the author's local clock
                using var stream = target.Open();
                stream.Write(part.Value!);
            }
        }
        return output.ToArray();
    }

    static Result<byte[]> CleanPart(string name, EvidenceKind kind, string path, byte[] bytes, EvidenceOptions options, ExpansionBudget budget, List<string> removed, int depth)
    {
        if (path.Equals(ContentTypesPart, StringComparison.OrdinalIgnoreCase))
        {
            // Left untouched; it only tells us whether the package claims to hold macros.
            var types = Encoding.UTF8.GetString(bytes);
            return types.Contains("macroEnabled", StringComparison.OrdinalIgnoreCase) || types.Contains("vbaProject", StringComparison.OrdinalIgnoreCase)
                ? Error.Validation(EvidenceMessages.OfficeMacros(name, kind))
                : bytes;
        }

        if (path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".rels", StringComparison.OrdinalIgnoreCase))
        {
            // Office never writes DTDs; one here is an entity-expansion or external-entity trap for whoever opens it.
            if (bytes.AsSpan().IndexOf("<!DOCTYPE"u8) >= 0)
                return Error.Validation(EvidenceMessages.Damaged(name, kind));
            if (!MayNameSomeone(path, bytes))
                return bytes;   // spares parsing large worksheets that hold no names
            var xml = CleanXml(path, bytes, removed);
            return xml is null ? Error.Validation(EvidenceMessages.Damaged(name, kind)) : xml;
        }

        var family = FileTypeDetector.Detect(bytes);
        if (family is ContentFamily.Jpeg or ContentFamily.Png)
        {
            if (EmbeddedImageStripper.Strip(bytes, keepOrientation: true) is not { } stripped)
                return Error.Validation(EvidenceMessages.Damaged(name, kind));
            if (stripped.Length != bytes.Length)
            {
                foreach (var word in ImageMetadataReport.Describe(bytes))
                    Add(removed, $"{word} (from a picture inside the document)");
            }
            return stripped;
        }

        if (path.Contains("/embeddings/", StringComparison.OrdinalIgnoreCase))
        {
            // Charts keep their data in an embedded workbook, which has authors of its own; anything else inside
            // (OLE objects, packaged files) cannot be checked.
            if (family is ContentFamily.Zip && depth < MaxNesting)
                return CleanPackage(name, kind, bytes, options, budget, removed, depth + 1);
            return Error.Validation(EvidenceMessages.OfficeEmbeddedObject(name));
        }

        return bytes;
    }

    /// <summary>
    /// Whether an XML part could hold anything this cleaner changes. A cheap byte search; parts in UTF-16 (rare)
    /// are always parsed.
    /// </summary>
    static bool MayNameSomeone(string path, byte[] bytes)
    {
        if (path.StartsWith("docProps/", StringComparison.OrdinalIgnoreCase) || bytes.AsSpan().StartsWith([(byte)0xFF, (byte)0xFE]) || bytes.AsSpan().StartsWith([(byte)0xFE, (byte)0xFF]))
            return true;
        foreach (var marker in NameMarkers)
        {
            if (bytes.AsSpan().IndexOf(marker) >= 0)
                return true;
        }
        return false;
    }

    static bool IsMacroPart(string path) =>
        path.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith("vbaProjectSignature.bin", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith("vbaData.xml", StringComparison.OrdinalIgnoreCase)
        || path.Contains("/activeX/", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the zip directory looks hostile, or null. Only the directory is read; nothing is unpacked.</summary>
    static string? UnsafeReason(ZipArchive archive, EvidenceOptions options)
    {
        var entries = archive.Entries;
        if (entries.Count > options.MaxArchiveEntries)
            return "Evidence.Bomb.TooManyParts";

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        foreach (var entry in entries)
        {
            if (!IsSafePath(entry.FullName))
                return "Evidence.Bomb.PathsOutside";
            if (!names.Add(entry.FullName))
                return "Evidence.Bomb.DuplicateParts";

            total += entry.Length;
            if (entry.Length < 0 || total > options.MaxExpandedBytes)
                return "Evidence.Bomb.Expands";
            if (entry.Length > LargeEntryBytes && entry.Length > MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
                return "Evidence.Bomb.Expands";
        }
        return null;
    }

    static bool IsSafePath(string path)
    {
        if (path.Length == 0 || path[0] is '/' or '\\' || (path.Length >= 2 && path[1] == ':') || path.Contains('\0', StringComparison.Ordinal))
            return false;
        foreach (var segment in path.Split('/', '\\'))
        {
            if (segment == "..")
                return false;
        }
        return true;
    }

    static ZipArchive? OpenZip(byte[] content)
    {
        try
        {
            return new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    static bool Has(ZipArchive archive, string path) =>
        archive.Entries.Any(e => e.FullName.Equals(path, StringComparison.OrdinalIgnoreCase));

    static byte[]? ReadBounded(ZipArchiveEntry entry, ExpansionBudget budget)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream((int)Math.Min(entry.Length, LargeEntryBytes));
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > entry.Length || !budget.TryTake(read))
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The cleaned part, the original bytes when nothing needed changing, or null when it is not well-formed XML.</summary>
    static byte[]? CleanXml(string path, byte[] bytes, List<string> removed)
    {
        XDocument document;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            // No DTDs and no resolver: no entity expansion bombs and no external fetches.
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            return null;
        }
        if (document.Root is null)
            return null;

        var changed = false;
        if (path.Equals("docProps/core.xml", StringComparison.OrdinalIgnoreCase))
            changed |= ClearCoreProperties(document.Root, removed);
        else if (path.Equals("docProps/app.xml", StringComparison.OrdinalIgnoreCase))
            changed |= RemoveAppProperties(document.Root, removed);
        else if (path.Equals("docProps/custom.xml", StringComparison.OrdinalIgnoreCase))
            changed |= ClearCustomProperties(document.Root, removed);

        if (path.EndsWith(".rels", StringComparison.OrdinalIgnoreCase))
            changed |= RemoveTemplateRelationships(document.Root, removed);
        if (document.Root.Name == Spreadsheet + "comments")
            changed |= AnonymiseNotePrefixes(document.Root, removed);
        changed |= AnonymiseNames(document.Root, removed);

        return changed ? Serialize(document) : bytes;
    }

    static bool ClearCoreProperties(XElement root, List<string> removed)
    {
        foreach (var property in root.Elements())
        {
            if (!string.IsNullOrWhiteSpace(property.Value))
                Add(removed, CoreWords.GetValueOrDefault(property.Name.LocalName, "document properties"));
        }
        var changed = root.Nodes().Any();
        root.RemoveNodes();   // every child of coreProperties is optional
        return changed;
    }

    static bool RemoveAppProperties(XElement root, List<string> removed)
    {
        var changed = false;
        foreach (var property in root.Elements().Where(e => AppWords.ContainsKey(e.Name.LocalName)).ToList())
        {
            if (!string.IsNullOrWhiteSpace(property.Value))
                Add(removed, AppWords[property.Name.LocalName]);
            property.Remove();
            changed = true;
        }
        return changed;
    }

    static bool ClearCustomProperties(XElement root, List<string> removed)
    {
        if (!root.HasElements)
            return false;
        Add(removed, "custom properties");
        root.RemoveNodes();
        return true;
    }

    /// <summary>
    /// Excel starts each note with its author's name in bold ("Jane Doe:"); that run is a label Excel wrote, not the
    /// reporter's text, so it follows the author list and becomes "Anonymous:".
    /// </summary>
    static bool AnonymiseNotePrefixes(XElement comments, List<string> removed)
    {
        var authors = comments.Element(Spreadsheet + "authors")?.Elements(Spreadsheet + "author").Select(a => a.Value).ToList() ?? [];
        var changed = false;
        foreach (var comment in comments.Descendants(Spreadsheet + "comment"))
        {
            if (!int.TryParse((string?)comment.Attribute("authorId"), System.Globalization.CultureInfo.InvariantCulture, out var id) || id < 0 || id >= authors.Count)
                continue;
            var label = comment.Element(Spreadsheet + "text")?.Elements(Spreadsheet + "r").FirstOrDefault()?.Element(Spreadsheet + "t");
            if (label is not null && authors[id].Length > 0 && label.Value.Trim() == authors[id] + ":")
                changed |= Replace(label, Anonymous + ":", "comment authors", removed);
        }
        return changed;
    }

    /// <summary>A template's relationship holds its full path, often with the user's name in it.</summary>
    static bool RemoveTemplateRelationships(XElement root, List<string> removed)
    {
        var templates = root.Elements()
            .Where(e => e.Name.LocalName == "Relationship" && ((string?)e.Attribute("Type"))?.EndsWith("/attachedTemplate", StringComparison.Ordinal) == true)
            .ToList();
        foreach (var template in templates)
            template.Remove();
        if (templates.Count > 0)
            Add(removed, "template location");
        return templates.Count > 0;
    }

    /// <summary>Replaces people's names and account IDs in any part: comments, revisions, people, persons, shared-workbook logs.</summary>
    static bool AnonymiseNames(XElement root, List<string> removed)
    {
        var changed = false;
        foreach (var element in root.DescendantsAndSelf().ToList())
        {
            if (element != root && element.Parent is null)
                continue;   // already removed with an ancestor
            var local = element.Name.LocalName;

            if (local == "presenceInfo" || (element.Name.Namespace == W && local == "rsids") || (element.Name.Namespace == W && local == "attachedTemplate"))
            {
                Add(removed, local switch { "presenceInfo" => "account IDs", "rsids" => "editing session IDs", _ => "template location" });
                element.Remove();
                changed = true;
                continue;
            }
            if (local == "absPath")
            {
                if (!string.IsNullOrWhiteSpace((string?)element.Attribute("url")))
                    Add(removed, "folder path on the computer");
                RemoveWithEmptyAlternateContent(element);
                changed = true;
                continue;
            }
            if (local == "author" && element.Parent?.Name.LocalName == "authors" && !element.HasElements)
                changed |= Replace(element, Anonymous, "comment authors", removed);

            foreach (var attribute in element.Attributes().ToList())
                changed |= AnonymiseAttribute(element, attribute, removed);
        }
        return changed;
    }

    static bool AnonymiseAttribute(XElement element, XAttribute attribute, List<string> removed)
    {
        if (attribute.IsNamespaceDeclaration)
            return false;
        var name = attribute.Name.LocalName;
        var owner = element.Name.LocalName;

        if (attribute.Name.Namespace == W && name.StartsWith("rsid", StringComparison.Ordinal))
        {
            attribute.Remove();   // revision-session IDs link documents edited in the same session
            Add(removed, "editing session IDs");
            return true;
        }
        return name switch
        {
            "author" => Replace(attribute, Anonymous, PeopleWord(owner), removed),
            "initials" => Replace(attribute, "A", PeopleWord(owner), removed),
            "userName" => Replace(attribute, Anonymous, "user names", removed),
            "userId" or "providerId" => Replace(attribute, "", "account IDs", removed),
            "displayName" when owner == "person" => Replace(attribute, Anonymous, "comment authors", removed),
            "name" when owner is "cmAuthor" or "userInfo" => Replace(attribute, Anonymous, PeopleWord(owner), removed),
            _ => false,
        };
    }

    static string PeopleWord(string owner) =>
        RevisionElements.Contains(owner) || owner == "userInfo" ? "revision authors" : owner switch
        {
            "comment" or "threadedComment" or "person" or "cmAuthor" => "comment authors",
            _ => "author names",
        };

    static bool Replace(XElement element, string value, string word, List<string> removed)
    {
        if (element.Value == value)
            return false;
        if (!string.IsNullOrWhiteSpace(element.Value))
            Add(removed, word);
        element.Value = value;
        return true;
    }

    static bool Replace(XAttribute attribute, string value, string word, List<string> removed)
    {
        if (attribute.Value == value)
            return false;
        if (!string.IsNullOrWhiteSpace(attribute.Value))
            Add(removed, word);
        attribute.Value = value;
        return true;
    }

    // Excel writes <mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath url="C:\Users\…"/></mc:Choice></mc:AlternateContent>.
    static void RemoveWithEmptyAlternateContent(XElement absPath)
    {
        var choice = absPath.Parent;
        absPath.Remove();
        if (choice?.Name.LocalName != "Choice" || choice.HasElements)
            return;
        var alternate = choice.Parent;
        choice.Remove();
        if (alternate?.Name.LocalName == "AlternateContent" && !alternate.HasElements)
            alternate.Remove();
    }

    static byte[] Serialize(XDocument document)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false, NewLineHandling = NewLineHandling.None }))
            document.Save(writer);
        return stream.ToArray();
    }

    static void Add(List<string> removed, string item)
    {
        if (!removed.Contains(item))
            removed.Add(item);
    }

    /// <summary>What may still be unpacked in total, across nested packages too.</summary>
    sealed class ExpansionBudget(long bytes)
    {
        long _remaining = bytes;

        public bool TryTake(long count)
        {
            _remaining -= count;
            return _remaining >= 0;
        }
    }
}
