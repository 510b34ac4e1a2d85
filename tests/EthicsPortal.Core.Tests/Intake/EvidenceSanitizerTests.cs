using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Intake.Evidence;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Icc;
using MetadataExtractor.Formats.Iptc;
using MetadataExtractor.Formats.Png;
using MetadataExtractor.Formats.Xmp;
using Microsoft.Extensions.Options;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Annotations;
using PdfSharp.Pdf.IO;
using SkiaSharp;

namespace EthicsPortal.Core.Tests.Intake;

public sealed class EvidenceSanitizerTests
{
    // What the fixtures carry (see Fixtures/README.md); none of it may survive cleaning.
    const string Author = "Jane Employee";
    const string Company = "Contoso Cloud";
    const string AccountName = "jane.employee";
    const string Accepted = "JPEG, PNG, PDF, Word (.docx), Excel (.xlsx)";

    static readonly XNamespace Wml = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    static readonly XNamespace Sml = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    // ---- photos -------------------------------------------------------------------------------------------

    [Fact]
    public void Clean_PhotoWithExifGpsXmpIptc_RemovesAllIdentifyingMetadata()
    {
        var result = Sanitizer().Clean(new EvidenceFile("evidence-photo.jpg", Fixture("evidence-photo.jpg")));

        var clean = Succeeded(result);
        Assert.Equal(EvidenceKind.Jpeg, clean.Kind);
        Assert.Equal("image/jpeg", clean.ContentType);
        Assert.Equal("evidence-photo.jpg", clean.FileName);
        var directories = ReadMetadata(clean.Content);
        Assert.DoesNotContain(directories.OfType<ExifIfd0Directory>(), d =>
            d.ContainsTag(ExifDirectoryBase.TagArtist) || d.ContainsTag(ExifDirectoryBase.TagMake) || d.ContainsTag(ExifDirectoryBase.TagModel));
        Assert.DoesNotContain(directories.OfType<ExifSubIfdDirectory>(), d =>
            d.ContainsTag(ExifDirectoryBase.TagBodySerialNumber) || d.ContainsTag(ExifDirectoryBase.TagCameraOwnerName) || d.ContainsTag(ExifDirectoryBase.TagDateTimeOriginal));
        Assert.Empty(directories.OfType<GpsDirectory>());
        Assert.Empty(directories.OfType<XmpDirectory>());
        Assert.Empty(directories.OfType<IptcDirectory>());
        Assert.Empty(directories.OfType<IccDirectory>());
        AssertAbsent(clean.Content, Author, Company, "Canon", "EOS R6", "123456789");
    }

    [Fact]
    public void Clean_PhotoWithExifGpsXmpIptc_NamesWhatWasRemoved()
    {
        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile("evidence-photo.jpg", Fixture("evidence-photo.jpg"))));

        foreach (var item in new[] { "author name", "camera owner name", "camera make and model", "camera serial number", "date the photo was taken", "GPS position", "XMP metadata", "IPTC by-line" })
            Assert.Contains(item, clean.Removed);
        Assert.DoesNotContain("colour profile", clean.Removed);   // the fixture has none, so none is claimed
    }

    [Fact]
    public void Clean_PhotoWithExifGpsXmpIptc_StillDecodesWithSameDimensions()
    {
        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile("evidence-photo.jpg", Fixture("evidence-photo.jpg"))));

        using var picture = SKBitmap.Decode(clean.Content);
        Assert.NotNull(picture);
        Assert.Equal((96, 64), (picture.Width, picture.Height));
    }

    [Fact]
    public void Clean_JpegWithExifOrientation_TurnsPixelsUprightAndDropsTheTag()
    {
        // 40×20, left half red and right half blue, stored sideways: orientation 6 means "turn a quarter clockwise".
        var sideways = WithOrientation(EncodeSplitJpeg(40, 20), 6);

        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile("sideways.jpg", sideways)));

        using var picture = SKBitmap.Decode(clean.Content);
        Assert.Equal((20, 40), (picture.Width, picture.Height));
        var top = picture.GetPixel(10, 5);
        var bottom = picture.GetPixel(10, 34);
        Assert.True(top.Red > 200 && top.Blue < 60, $"top should be red, was {top}");
        Assert.True(bottom.Blue > 200 && bottom.Red < 60, $"bottom should be blue, was {bottom}");
        Assert.Empty(ReadMetadata(clean.Content).OfType<ExifIfd0Directory>());
    }

    [Fact]
    public void Clean_ScreenshotWithPngText_RemovesTextChunksAndXmp()
    {
        var result = Sanitizer().Clean(new EvidenceFile("evidence-screenshot.png", Fixture("evidence-screenshot.png")));

        var clean = Succeeded(result);
        Assert.Equal(EvidenceKind.Png, clean.Kind);
        Assert.Equal("image/png", clean.ContentType);
        var directories = ReadMetadata(clean.Content);
        Assert.DoesNotContain(directories.OfType<PngDirectory>(), d => d.ContainsTag(PngDirectory.TagTextualData) || d.ContainsTag(PngDirectory.TagLastModificationTime));
        Assert.Empty(directories.OfType<XmpDirectory>());
        Assert.Empty(directories.OfType<IccDirectory>());
        Assert.Empty(PngChunkTypes(clean.Content).Intersect(["tEXt", "iTXt", "zTXt", "eXIf", "iCCP", "tIME"]));
        AssertAbsent(clean.Content, Author, Company);
        Assert.Contains("PNG text (author, comment)", clean.Removed);
        Assert.Contains("XMP metadata", clean.Removed);
        using var picture = SKBitmap.Decode(clean.Content);
        Assert.Equal((80, 40), (picture.Width, picture.Height));
    }

    [Fact]
    public void Clean_ImageAbovePixelLimit_IsRefusedBeforeDecoding()
    {
        var result = Sanitizer(new EvidenceOptions { MaxImagePixels = 96 * 64 - 1 }).Clean(new EvidenceFile("evidence-photo.jpg", Fixture("evidence-photo.jpg")));

        Assert.Contains("too large a picture (96 × 64 pixels)", Refused(result));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(100)]
    [InlineData(3900)]
    [InlineData(4150)]
    public void Clean_TruncatedJpeg_IsRefusedWithoutThrowing(int keptBytes)
    {
        var truncated = Fixture("evidence-photo.jpg")[..keptBytes];

        var message = Refused(Sanitizer().Clean(new EvidenceFile("photo.jpg", truncated)));

        Assert.Contains("“photo.jpg” could not be read as a JPEG image", message);
    }

    [Fact]
    public void Clean_PngNamedJpg_IsRefusedAsMismatch()
    {
        var message = Refused(Sanitizer().Clean(new EvidenceFile("holiday.jpg", Fixture("evidence-screenshot.png"))));

        Assert.Contains("“holiday.jpg” is not a JPEG image: it is actually a PNG image", message);
    }

    [Fact]
    public void Clean_NoExtension_TakesTheDetectedType()
    {
        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile("evidence", Fixture("evidence-photo.jpg"))));

        Assert.Equal(EvidenceKind.Jpeg, clean.Kind);
        Assert.Equal("evidence", clean.FileName);
    }

    // ---- PDF ----------------------------------------------------------------------------------------------

    [Fact]
    public void Clean_MemoPdfWithInfoDictionary_RemovesAuthorCreatorProducerTitleAndDates()
    {
        var original = Fixture("evidence-memo.pdf");
        using (var before = OpenPdf(original))
        {
            // Learn the fixture's values from the file itself, so the test checks exactly what it carried.
            Assert.Equal(Author, before.Info.Author);
            Assert.Equal("Contoso Cloud Word", before.Info.Creator);
            Assert.Equal("Acme PDF 1.0", before.Info.Producer);
            Assert.Equal("Internal memo", before.Info.Title);
        }

        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile("evidence-memo.pdf", original)));

        Assert.Equal(EvidenceKind.Pdf, clean.Kind);
        Assert.Equal("application/pdf", clean.ContentType);
        AssertAbsent(clean.Content, Author, Company, "Acme PDF", "D:20260814");
        using var after = OpenPdf(clean.Content);
        Assert.Equal("", after.Info.Author);
        Assert.Equal("", after.Info.Title);
        Assert.Equal("", after.Info.Creator);
        Assert.DoesNotContain("Acme", after.Info.Producer, StringComparison.Ordinal);
        Assert.DoesNotContain("Internal memo", PdfXmp(after), StringComparison.Ordinal);
        Assert.Equal(1, after.PageCount);
        foreach (var item in new[] { "author", "creating application", "PDF software", "title", "creation date" })
            Assert.Contains(item, clean.Removed);
        Assert.DoesNotContain("date last changed", clean.Removed);   // the fixture has no /ModDate
    }

    [Fact]
    public void Clean_PdfWithXmpAndFileId_RemovesXmpAuthorAndReplacesTheId()
    {
        var original = BuildPdf(document =>
        {
            document.Info.Author = Author;
            document.Info.Subject = "Contoso Cloud exports";
        });
        string originalId;
        using (var before = OpenPdf(original))
        {
            originalId = before.Internals.FirstDocumentID;
            Assert.Contains(Author, PdfXmp(before), StringComparison.Ordinal);   // PDFsharp writes the author into XMP too
        }

        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile("report.pdf", original)));

        AssertAbsent(clean.Content, Author, Company);
        using var after = OpenPdf(clean.Content);
        Assert.NotEqual(originalId, after.Internals.FirstDocumentID);
        Assert.Contains("XMP metadata", clean.Removed);
        Assert.Contains("subject", clean.Removed);
    }

    [Fact]
    public void Clean_PdfWithPhotoInside_RemovesThePhotosMetadataBlocks()
    {
        var photo = Fixture("evidence-photo.jpg");
        var original = BuildPdf(document =>
        {
            using var graphics = XGraphics.FromPdfPage(document.Pages[0]);
            using var image = XImage.FromStream(new MemoryStream(photo));
            graphics.DrawImage(image, 10, 10, 96, 64);
        });
        Assert.True(Contains(original, Author), "precondition: PDFsharp embeds the JPEG with its EXIF");

        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile("scan.pdf", original)));

        AssertAbsent(clean.Content, Author, Company, "Canon");
        Assert.Contains("GPS position (from a picture inside the PDF)", clean.Removed);
    }

    [Fact]
    public void Clean_PdfWithOpeningScriptAndCommentAuthor_RemovesScriptAndAnonymisesAuthor()
    {
        var original = BuildPdf(document =>
        {
            var script = new PdfDictionary(document);
            script.Elements.SetName("/S", "/JavaScript");
            script.Elements.SetString("/JS", "app.launchURL('https://tracker.example/opened');");
            document.Internals.Catalog.Elements["/OpenAction"] = script;
            document.Pages[0].Annotations.Add(new PdfTextAnnotation
            {
                Title = Author,
                Contents = "Numbers do not match the invoice.",
                Rectangle = new PdfRectangle(new XRect(10, 10, 20, 20)),
            });
        });

        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile("annotated.pdf", original)));

        AssertAbsent(clean.Content, Author, "tracker.example");
        Assert.True(Contains(clean.Content, "Numbers do not match the invoice."), "the comment itself is evidence and stays");
        Assert.Contains("scripts", clean.Removed);
        Assert.Contains("comment authors", clean.Removed);
    }

    [Fact]
    public void Clean_PdfWithAttachedFiles_IsRefused()
    {
        var original = BuildPdf(document =>
        {
            var names = new PdfDictionary(document);
            names.Elements["/EmbeddedFiles"] = new PdfDictionary(document);
            document.Internals.Catalog.Elements["/Names"] = names;
        });

        var message = Refused(Sanitizer().Clean(new EvidenceFile("bundle.pdf", original)));

        Assert.Contains("“bundle.pdf” has other files attached inside it", message);
    }

    [Fact]
    public void Clean_PasswordProtectedPdf_IsRefusedWithPasswordMessage()
    {
        var locked = BuildPdf(document =>
        {
            document.SecuritySettings.UserPassword = "open-sesame";
            document.SecuritySettings.OwnerPassword = "owner-secret";
        });

        var message = Refused(Sanitizer().Clean(new EvidenceFile("locked.pdf", locked)));

        Assert.Contains("“locked.pdf” is protected with a password", message);
    }

    [Fact]
    public void Clean_PdfHeaderFollowedByGarbage_IsRefusedWithoutThrowing()
    {
        var garbage = Encoding.ASCII.GetBytes("%PDF-1.7\n" + new string('x', 500));

        var message = Refused(Sanitizer().Clean(new EvidenceFile("broken.pdf", garbage)));

        Assert.Contains("“broken.pdf” could not be read as a PDF", message);
    }

    // ---- Word and Excel -----------------------------------------------------------------------------------

    [Fact]
    public void Clean_NotesDocx_RemovesAuthorsCompanyAndCommentAuthorFromEveryPart()
    {
        var original = Fixture("evidence-notes.docx");

        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile("evidence-notes.docx", original)));

        Assert.Equal(EvidenceKind.Docx, clean.Kind);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", clean.ContentType);
        var parts = Unzip(clean.Content);
        foreach (var (_, bytes) in parts)
            AssertAbsent(bytes, Author, Company);
        var comment = XDocument.Parse(Text(parts, "word/comments.xml")).Descendants(Wml + "comment").Single();
        Assert.Equal("Anonymous", (string?)comment.Attribute(Wml + "author"));
        Assert.Equal("A", (string?)comment.Attribute(Wml + "initials"));
        Assert.Contains("Customer exports call records nightly.", Text(parts, "word/document.xml"), StringComparison.Ordinal);
        foreach (var item in new[] { "document author", "last modified by", "title", "creation date", "company", "comment authors" })
            Assert.Contains(item, clean.Removed);
    }

    [Fact]
    public void Clean_NotesDocx_KeepsTheSamePartsAndContentTypes()
    {
        var original = Fixture("evidence-notes.docx");

        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile("evidence-notes.docx", original)));

        var before = Unzip(original);
        var after = Unzip(clean.Content);
        Assert.Equal(before.Select(p => p.Name), after.Select(p => p.Name));
        Assert.Equal(Bytes(before, "[Content_Types].xml"), Bytes(after, "[Content_Types].xml"));
        Assert.Equal(Bytes(before, "word/document.xml"), Bytes(after, "word/document.xml"));   // nothing to change there
        Assert.Empty(XDocument.Parse(Text(after, "docProps/core.xml")).Root!.Nodes());
    }

    [Fact]
    public void Clean_DocxWithRevisionsPeopleTemplateAndChart_RemovesEveryName()
    {
        var chartWorkbook = Zip(MinimalXlsxParts(withComments: false));
        var docx = Zip(
            ("[Content_Types].xml", Utf8(DocxContentTypes)),
            ("_rels/.rels", Utf8(RootRels("word/document.xml"))),
            ("word/document.xml", Utf8($"""<w:document xmlns:w="{Wml}"><w:body><w:p w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3"><w:ins w:id="1" w:author="{Author}" w:date="2026-08-14T09:12:00Z"><w:r><w:t>Added by hand.</w:t></w:r></w:ins><w:del w:id="2" w:author="{Author}"><w:r><w:delText>Old text.</w:delText></w:r></w:del></w:p></w:body></w:document>""")),
            ("word/people.xml", Utf8($"""<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"><w15:person w15:author="{Author}"><w15:presenceInfo w15:providerId="AD" w15:userId="S::{AccountName}@contoso.example::1f2e"/></w15:person></w15:people>""")),
            ("word/settings.xml", Utf8($"""<w:settings xmlns:w="{Wml}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:attachedTemplate r:id="rId1"/><w:rsids><w:rsidRoot w:val="00A1B2C3"/><w:rsid w:val="00A1B2C3"/></w:rsids></w:settings>""")),
            ("word/_rels/settings.xml.rels", Utf8($"""<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file:///C:\Users\{AccountName}\AppData\Roaming\Microsoft\Templates\Normal.dotm" TargetMode="External"/></Relationships>""")),
            ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", chartWorkbook));

        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile("timeline.docx", docx)));

        var parts = Unzip(clean.Content);
        foreach (var (_, bytes) in parts)
            AssertAbsent(bytes, Author, AccountName, "00A1B2C3");
        foreach (var (_, bytes) in Unzip(Bytes(parts, "word/embeddings/Microsoft_Excel_Worksheet.xlsx")))
            AssertAbsent(bytes, Author, Company);
        Assert.Contains("Added by hand.", Text(parts, "word/document.xml"), StringComparison.Ordinal);
        foreach (var item in new[] { "revision authors", "comment authors", "account IDs", "editing session IDs", "template location", "document author" })
            Assert.Contains(item, clean.Removed);
    }

    [Fact]
    public void Clean_DocxWithPhotoInside_StripsThePhotoLosslessly()
    {
        var photo = Fixture("evidence-photo.jpg");
        var docx = Zip(
            ("[Content_Types].xml", Utf8(DocxContentTypes)),
            ("_rels/.rels", Utf8(RootRels("word/document.xml"))),
            ("word/document.xml", Utf8($"""<w:document xmlns:w="{Wml}"><w:body><w:p><w:r><w:t>See photo.</w:t></w:r></w:p></w:body></w:document>""")),
            ("word/media/image1.jpeg", photo));

        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile("photo-report.docx", docx)));

        var image = Bytes(Unzip(clean.Content), "word/media/image1.jpeg");
        AssertAbsent(image, Author, Company, "Canon");
        Assert.Empty(ReadMetadata(image).OfType<GpsDirectory>());
        using var picture = SKBitmap.Decode(image);
        Assert.Equal((96, 64), (picture.Width, picture.Height));
        Assert.Contains("GPS position (from a picture inside the document)", clean.Removed);
    }

    [Fact]
    public void Clean_BuiltXlsx_RemovesCreatorCommentAuthorsPersonsAndFolderPath()
    {
        var xlsx = Zip(MinimalXlsxParts(withComments: true));

        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile("calls.xlsx", xlsx)));

        Assert.Equal(EvidenceKind.Xlsx, clean.Kind);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", clean.ContentType);
        var parts = Unzip(clean.Content);
        foreach (var (_, bytes) in parts)
            AssertAbsent(bytes, Author, Company, AccountName, "Pat Manager");
        var comments = XDocument.Parse(Text(parts, "xl/comments1.xml"));
        Assert.Equal("Anonymous", comments.Descendants(Sml + "author").Single().Value);
        Assert.Contains("see the call logs", comments.ToString(), StringComparison.Ordinal);   // the note itself stays
        Assert.Contains("Nightly export", Text(parts, "xl/worksheets/sheet1.xml"), StringComparison.Ordinal);
        Assert.Equal(Bytes(Unzip(xlsx), "[Content_Types].xml"), Bytes(parts, "[Content_Types].xml"));
        foreach (var item in new[] { "document author", "last modified by", "company", "manager", "comment authors", "account IDs", "folder path on the computer" })
            Assert.Contains(item, clean.Removed);
    }

    [Fact]
    public void Clean_DocxWithMacros_IsRefused()
    {
        var docm = Zip(
            ("[Content_Types].xml", Utf8(DocxContentTypes)),
            ("word/document.xml", Utf8($"""<w:document xmlns:w="{Wml}"/>""")),
            ("word/vbaProject.bin", [0xD0, 0xCF, 0x11, 0xE0]));

        var message = Refused(Sanitizer().Clean(new EvidenceFile("invoice.docx", docm)));

        Assert.Contains("“invoice.docx” contains macros", message);
    }

    [Fact]
    public void Clean_DocxWithEmbeddedOleObject_IsRefused()
    {
        var docx = Zip(
            ("[Content_Types].xml", Utf8(DocxContentTypes)),
            ("word/document.xml", Utf8($"""<w:document xmlns:w="{Wml}"/>""")),
            ("word/embeddings/oleObject1.bin", [0xD0, 0xCF, 0x11, 0xE0, 0x4D, 0x5A]));

        var message = Refused(Sanitizer().Clean(new EvidenceFile("notes.docx", docx)));

        Assert.Contains("contains an embedded object we cannot check", message);
    }

    [Fact]
    public void Clean_DocxWithDtd_IsRefusedWithoutExpandingEntities()
    {
        const string laughs = """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&lol2;</w:document>""";
        var docx = Zip(("[Content_Types].xml", Utf8(DocxContentTypes)), ("word/document.xml", Utf8(laughs)));

        var message = Refused(Sanitizer().Clean(new EvidenceFile("notes.docx", docx)));

        Assert.Contains("“notes.docx” could not be read as a Word document", message);
    }

    // ---- zip bombs and archives ---------------------------------------------------------------------------

    [Fact]
    public void Clean_BombZipFixture_IsRefusedAsCompressedBomb()
    {
        var message = Refused(Sanitizer().Clean(new EvidenceFile("bomb.zip", Fixture("bomb.zip"))));

        Assert.Contains("“bomb.zip” looks like a compressed bomb", message);
    }

    [Fact]
    public void Clean_OfficePackageWithHighlyCompressedPart_IsRefusedAsCompressedBomb()
    {
        var docx = Zip(
            ("[Content_Types].xml", Utf8(DocxContentTypes)),
            ("word/document.xml", Utf8($"""<w:document xmlns:w="{Wml}"/>""")),
            ("word/media/padding.bin", new byte[5 * 1024 * 1024]));

        var message = Refused(Sanitizer().Clean(new EvidenceFile("notes.docx", docx)));

        Assert.Contains("looks like a compressed bomb", message);
    }

    [Fact]
    public void Clean_OfficePackageLargerThanLimit_IsRefusedAsCompressedBomb()
    {
        var result = Sanitizer(new EvidenceOptions { MaxExpandedBytes = 100 }).Clean(new EvidenceFile("evidence-notes.docx", Fixture("evidence-notes.docx")));

        Assert.Contains("looks like a compressed bomb", Refused(result));
    }

    [Fact]
    public void Clean_OfficePackageWithTooManyParts_IsRefusedAsCompressedBomb()
    {
        var result = Sanitizer(new EvidenceOptions { MaxArchiveEntries = 3 }).Clean(new EvidenceFile("evidence-notes.docx", Fixture("evidence-notes.docx")));

        Assert.Contains("looks like a compressed bomb", Refused(result));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("word\\..\\..\\evil.xml")]
    [InlineData("C:/Windows/evil.xml")]
    public void Clean_OfficePackageWithEscapingPath_IsRefused(string path)
    {
        var docx = Zip(
            ("[Content_Types].xml", Utf8(DocxContentTypes)),
            ("word/document.xml", Utf8($"""<w:document xmlns:w="{Wml}"/>""")),
            (path, Utf8("x")));

        Assert.Contains("looks like a compressed bomb", Refused(Sanitizer().Clean(new EvidenceFile("notes.docx", docx))));
    }

    [Fact]
    public void Clean_ZipThatIsNotOffice_IsRefusedAsArchive()
    {
        var zip = Zip(("readme.txt", Utf8("hello")), ("photos/one.jpg", Fixture("evidence-photo.jpg")));

        var message = Refused(Sanitizer().Clean(new EvidenceFile("stuff.zip", zip)));

        Assert.Contains("“stuff.zip” is a compressed archive", message);
        Assert.Contains(Accepted, message);
    }

    [Fact]
    public void Clean_ZipNamedDocx_IsRefusedAsNotAWordDocument()
    {
        var zip = Zip(("readme.txt", Utf8("hello")));

        var message = Refused(Sanitizer().Clean(new EvidenceFile("report.docx", zip)));

        Assert.Contains("“report.docx” is not a Word document: it is a compressed archive", message);
    }

    // ---- hostile files ------------------------------------------------------------------------------------

    [Fact]
    public void Clean_ExecutableNamedPdf_IsRefusedAsProgram()
    {
        var message = Refused(Sanitizer().Clean(new EvidenceFile("not-really.pdf", Fixture("not-really.pdf"))));

        Assert.StartsWith("“not-really.pdf” is not a PDF: it contains a program. Programs and archives cannot be attached.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_ScriptNamedJpg_IsRefusedAsNotAJpeg()
    {
        var message = Refused(Sanitizer().Clean(new EvidenceFile("script.jpg", Fixture("script.jpg"))));

        Assert.Contains("“script.jpg” is not a JPEG image", message);
    }

    [Theory]
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0 })]
    [InlineData(new byte[] { 0x4D, 0x5A, 0x90, 0x00 })]
    [InlineData(new byte[] { 0xCF, 0xFA, 0xED, 0xFE, 7, 0, 0, 1 })]
    [InlineData(new byte[] { 0x23, 0x21, 0x2F, 0x62, 0x69, 0x6E, 0x2F, 0x73, 0x68, 0x0A, 0x72, 0x6D })]
    public void Clean_Program_IsRefused(byte[] content)
    {
        var message = Refused(Sanitizer().Clean(new EvidenceFile("tool", content)));

        Assert.Contains("contains a program", message);
        Assert.Contains(Accepted, message);
    }

    [Theory]
    [InlineData(new byte[] { 0x1F, 0x8B, 0x08, 0x00 })]
    [InlineData(new byte[] { 0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0, 4 })]
    [InlineData(new byte[] { 0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00 })]
    [InlineData(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0, 0 })]
    [InlineData(new byte[] { 0x42, 0x5A, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0, 0 })]
    public void Clean_Archive_IsRefused(byte[] content)
    {
        var message = Refused(Sanitizer().Clean(new EvidenceFile("bundle", content)));

        Assert.Contains("is a compressed archive", message);
    }

    [Fact]
    public void Clean_TarArchive_IsRefused()
    {
        var tar = new byte[1024];
        Encoding.ASCII.GetBytes("notes.txt").CopyTo(tar, 0);
        Encoding.ASCII.GetBytes("ustar").CopyTo(tar, 257);

        Assert.Contains("is a compressed archive", Refused(Sanitizer().Clean(new EvidenceFile("notes.tar", tar))));
    }

    [Fact]
    public void Clean_UnknownBinary_IsRefusedListingWhatIsAccepted()
    {
        var message = Refused(Sanitizer().Clean(new EvidenceFile("mystery", [0x00, 0x01, 0x02, 0xFF, 0xFE])));

        Assert.Contains("is not a kind of file we can accept", message);
        Assert.Contains(Accepted, message);
        Assert.Contains("plain text (.txt)", message);
    }

    [Fact]
    public void Clean_LegacyWordDocument_IsRefusedWithAdvice()
    {
        byte[] doc = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];

        Assert.Contains("save it as .docx or .xlsx", Refused(Sanitizer().Clean(new EvidenceFile("minutes.doc", doc))));
    }

    [Fact]
    public void Clean_EmptyFile_IsRefused()
    {
        Assert.Contains("“empty.txt” is empty", Refused(Sanitizer().Clean(new EvidenceFile("empty.txt", []))));
    }

    // ---- plain text ---------------------------------------------------------------------------------------

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("notes.md")]
    [InlineData("calls.csv")]
    [InlineData("server.log")]
    [InlineData("notes")]
    public void Clean_PlainUtf8Text_PassesUnchanged(string name)
    {
        var text = Encoding.UTF8.GetPreamble().Concat(Utf8("Customer: Contoso\r\nExports\tnightly — ünïcödé ✓\n\f")).ToArray();

        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile(name, text)));

        Assert.Equal(EvidenceKind.Text, clean.Kind);
        Assert.Equal("text/plain; charset=utf-8", clean.ContentType);
        Assert.Equal(text, clean.Content);
        Assert.Empty(clean.Removed);
    }

    [Fact]
    public void Clean_InvalidUtf8Text_IsRefused()
    {
        byte[] latin1 = [0x43, 0x61, 0x66, 0xE9, 0x20, 0x6E, 0x6F, 0x74, 0x65, 0x73];   // "Café notes" in Latin-1

        var message = Refused(Sanitizer().Clean(new EvidenceFile("notes.txt", latin1)));

        Assert.Contains("“notes.txt” is not plain text we can read", message);
    }

    [Theory]
    [InlineData("line one\0line two")]
    [InlineData("colour \u001b[31mred")]
    [InlineData("bell \u0007")]
    [InlineData("delete \u007f")]
    [InlineData("next line \u0085 (a C1 control, C2 85 in UTF-8)")]
    [InlineData("\u009f at the end of C1")]
    public void Clean_TextWithControlCharacters_IsRefused(string text)
    {
        Assert.Contains("is not plain text we can read", Refused(Sanitizer().Clean(new EvidenceFile("notes.txt", Utf8(text)))));
    }

    [Theory]
    [InlineData("tab\tCR\r\nLF\nform feed\f")]
    [InlineData("no-break\u00a0space, ¡inverted!, Café, État, Ωmega, 監視, 🛰")]
    [InlineData("\ufeffstarts with a byte-order mark")]
    public void Clean_PlainTextWithWhitespaceAndAnyLetters_IsKept(string text)
    {
        Assert.Equal(Utf8(text), Succeeded(Sanitizer().Clean(new EvidenceFile("notes.txt", Utf8(text)))).Content);
    }

    [Fact]
    public void Clean_TextWithUnacceptedExtension_IsRefused()
    {
        var message = Refused(Sanitizer().Clean(new EvidenceFile("page.html", Utf8("<p>hello</p>"))));

        Assert.Contains("files ending in “.html” are not accepted", message);
    }

    // ---- file names ---------------------------------------------------------------------------------------

    [Fact]
    public void Clean_NameWithPathAndHiddenCharacters_KeepsOnlyTheCleanLastSegment()
    {
        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile("C:\\Users\\jane\\Desktop/no\u0007tes\u202E.txt", Utf8("hello"))));

        Assert.Equal("notes.txt", clean.FileName);
    }

    [Fact]
    public void Clean_VeryLongName_IsShortenedTo200CharactersKeepingTheExtension()
    {
        var clean = Succeeded(Sanitizer().Clean(new EvidenceFile(new string('a', 300) + ".txt", Utf8("hello"))));

        Assert.Equal(200, clean.FileName.Length);
        Assert.EndsWith("a.txt", clean.FileName, StringComparison.Ordinal);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    static EvidenceSanitizer Sanitizer(EvidenceOptions? options = null) => new(Options.Create(options ?? new EvidenceOptions()));

    static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Intake", "Fixtures", name));

    static CleanEvidence Succeeded(Result<CleanEvidence> result)
    {
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value!;
    }

    static string Refused(Result<CleanEvidence> result)
    {
        Assert.False(result.Succeeded, "the file should have been refused");
        Assert.Equal(ErrorKind.Validation, result.Error!.Kind);
        return result.Error.Message;
    }

    static IReadOnlyList<MetadataExtractor.Directory> ReadMetadata(byte[] image) => ImageMetadataReader.ReadMetadata(new MemoryStream(image));

    static bool Contains(byte[] data, string text) =>
        data.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0 || data.AsSpan().IndexOf(Encoding.BigEndianUnicode.GetBytes(text)) >= 0;

    static void AssertAbsent(byte[] data, params string[] texts)
    {
        foreach (var text in texts)
            Assert.False(Contains(data, text), $"“{text}” is still in the cleaned file");
    }

    static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    static List<string> PngChunkTypes(byte[] png)
    {
        var types = new List<string>();
        for (var position = 8; position + 8 <= png.Length;)
        {
            var length = (png[position] << 24) | (png[position + 1] << 16) | (png[position + 2] << 8) | png[position + 3];
            types.Add(Encoding.ASCII.GetString(png, position + 4, 4));
            position += 12 + length;
        }
        return types;
    }

    static byte[] EncodeSplitJpeg(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var red = new SKPaint { Color = SKColors.Red };
            using var blue = new SKPaint { Color = SKColors.Blue };
            canvas.DrawRect(0, 0, width / 2f, height, red);
            canvas.DrawRect(width / 2f, 0, width / 2f, height, blue);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        return data.ToArray();
    }

    /// <summary>Inserts an EXIF block holding only an orientation, right after the JPEG start marker.</summary>
    static byte[] WithOrientation(byte[] jpeg, byte orientation)
    {
        byte[] exif =
        [
            0xFF, 0xE1, 0x00, 0x22, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
            0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ];
        return [.. jpeg[..2], .. exif, .. jpeg[2..]];
    }

    static byte[] BuildPdf(Action<PdfDocument> configure)
    {
        using var document = new PdfDocument();
        document.AddPage();
        configure(document);
        using var stream = new MemoryStream();
        document.Save(stream);
        return stream.ToArray();
    }

    static PdfDocument OpenPdf(byte[] pdf) => PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);

    static string PdfXmp(PdfDocument document) =>
        document.Internals.Catalog.Elements.GetDictionary("/Metadata")?.Stream?.UnfilteredValue is { } xmp ? Encoding.UTF8.GetString(xmp) : "";

    static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(data);
            }
        }
        return stream.ToArray();
    }

    static List<(string Name, byte[] Bytes)> Unzip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var parts = new List<(string, byte[])>();
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            parts.Add((entry.FullName, copy.ToArray()));
        }
        return parts;
    }

    static byte[] Bytes(List<(string Name, byte[] Bytes)> parts, string name) => parts.Single(p => p.Name == name).Bytes;

    static string Text(List<(string Name, byte[] Bytes)> parts, string name) => Encoding.UTF8.GetString(Bytes(parts, name));

    const string DocxContentTypes = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>""";

    static string RootRels(string mainPart) =>
        $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{mainPart}"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>""";

    /// <summary>The smallest workbook Excel opens, with a core creator, app company and manager, and (optionally) a note and a threaded-comment person.</summary>
    static (string Name, byte[] Data)[] MinimalXlsxParts(bool withComments)
    {
        var parts = new List<(string, byte[])>
        {
            ("[Content_Types].xml", Utf8("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/><Override PartName="/xl/persons/person.xml" ContentType="application/vnd.ms-excel.person+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>""")),
            ("_rels/.rels", Utf8(RootRels("xl/workbook.xml"))),
            ("docProps/core.xml", Utf8($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>{Author}</dc:creator><cp:lastModifiedBy>{Author}</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">2026-08-14T09:12:44Z</dcterms:created></cp:coreProperties>""")),
            ("docProps/app.xml", Utf8($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application><Manager>Pat Manager</Manager><Company>{Company}</Company></Properties>""")),
            ("xl/workbook.xml", Utf8($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{Sml}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" mc:Ignorable="x15ac"><mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath url="C:\Users\{AccountName}\Documents\"/></mc:Choice></mc:AlternateContent><sheets><sheet name="Calls" sheetId="1" r:id="rId1"/></sheets></workbook>""")),
            ("xl/_rels/workbook.xml.rels", Utf8("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""")),
            ("xl/worksheets/sheet1.xml", Utf8($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{Sml}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Nightly export</t></is></c></row></sheetData></worksheet>""")),
        };
        if (withComments)
        {
            parts.Add(("xl/worksheets/_rels/sheet1.xml.rels", Utf8("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="../comments1.xml"/></Relationships>""")));
            parts.Add(("xl/comments1.xml", Utf8($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><comments xmlns="{Sml}"><authors><author>{Author}</author></authors><commentList><comment ref="A1" authorId="0"><text><r><rPr><b/></rPr><t>{Author}:</t></r><r><t xml:space="preserve">{"\n"}see the call logs</t></r></text></comment></commentList></comments>""")));
            parts.Add(("xl/persons/person.xml", Utf8($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><person displayName="{Author}" id="{"{"}6C4A1E2B-0000-4000-8000-000000000001{"}"}" userId="{AccountName}@contoso.example" providerId="AD"/></personList>""")));
        }
        return [.. parts];
    }
}
