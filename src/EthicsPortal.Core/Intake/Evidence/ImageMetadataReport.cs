using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Icc;
using MetadataExtractor.Formats.Iptc;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Png;
using MetadataExtractor.Formats.Xmp;
using Directory = MetadataExtractor.Directory;
using MetadataPair = MetadataExtractor.KeyValuePair;

namespace EthicsPortal.Core.Intake.Evidence;

/// <summary>
/// Reads an image's metadata (in memory) to tell the reporter, in plain words, what stripping it removes. It only
/// reports; the stripping itself never depends on it.
/// </summary>
internal static class ImageMetadataReport
{
    public static List<string> Describe(byte[] image)
    {
        var found = new List<string>();
        IReadOnlyList<Directory> directories;
        try
        {
            using var stream = new MemoryStream(image, writable: false);
            directories = ImageMetadataReader.ReadMetadata(stream);
        }
        catch (Exception ex) when (ex is ImageProcessingException or IOException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException)
        {
            return found;   // An unreadable block is still removed by re-encoding; we just cannot name it.
        }

        var pngText = new List<string>();
        foreach (var directory in directories)
            DescribeDirectory(directory, found, pngText);
        // Each PNG text chunk is a directory of its own; name them together.
        if (pngText.Count > 0)
            Add(found, $"PNG text ({string.Join(", ", pngText)})");
        return found;
    }

    /// <summary>The EXIF orientation (1–8), or 1 when there is none.</summary>
    public static int Orientation(byte[] image)
    {
        try
        {
            using var stream = new MemoryStream(image, writable: false);
            var ifd0 = ImageMetadataReader.ReadMetadata(stream).OfType<ExifIfd0Directory>().FirstOrDefault();
            return ifd0 is not null && ifd0.TryGetInt32(ExifDirectoryBase.TagOrientation, out var value) && value is >= 1 and <= 8 ? value : 1;
        }
        catch (Exception ex) when (ex is ImageProcessingException or IOException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException)
        {
            return 1;
        }
    }

    static void DescribeDirectory(Directory directory, List<string> found, List<string> pngText)
    {
        switch (directory)
        {
            case ExifIfd0Directory or ExifSubIfdDirectory:
                DescribeExif(directory, found);
                break;
            case GpsDirectory when directory.TagCount > 0:
                Add(found, "GPS position");
                break;
            case ExifThumbnailDirectory:
                Add(found, "hidden preview picture");
                break;
            case XmpDirectory:
                Add(found, "XMP metadata");
                break;
            case IptcDirectory iptc:
                if (Has(iptc, IptcDirectory.TagByLine))
                    Add(found, "IPTC by-line");
                if (iptc.Tags.Any(t => t.Type is not (IptcDirectory.TagByLine or IptcDirectory.TagApplicationRecordVersion or IptcDirectory.TagEnvelopeRecordVersion or IptcDirectory.TagCodedCharacterSet)))
                    Add(found, "IPTC details");
                break;
            case IccDirectory:
                Add(found, "colour profile");
                break;
            case JpegCommentDirectory:
                Add(found, "comment");
                break;
            case PngDirectory png:
                DescribePng(png, found, pngText);
                break;
            default:
                if (directory.GetType().Namespace?.EndsWith("Makernotes", StringComparison.Ordinal) == true)
                    Add(found, "camera maker's private notes");
                break;
        }
    }

    static void DescribeExif(Directory exif, List<string> found)
    {
        if (Has(exif, ExifDirectoryBase.TagArtist) || Has(exif, ExifDirectoryBase.TagWinAuthor))
            Add(found, "author name");
        if (Has(exif, ExifDirectoryBase.TagCameraOwnerName))
            Add(found, "camera owner name");
        if (Has(exif, ExifDirectoryBase.TagMake) || Has(exif, ExifDirectoryBase.TagModel))
            Add(found, "camera make and model");
        if (Has(exif, ExifDirectoryBase.TagBodySerialNumber))
            Add(found, "camera serial number");
        if (Has(exif, ExifDirectoryBase.TagLensMake) || Has(exif, ExifDirectoryBase.TagLensModel) || Has(exif, ExifDirectoryBase.TagLensSerialNumber))
            Add(found, "lens details");
        if (Has(exif, ExifDirectoryBase.TagDateTimeOriginal) || Has(exif, ExifDirectoryBase.TagDateTimeDigitized))
            Add(found, "date the photo was taken");
        if (Has(exif, ExifDirectoryBase.TagDateTime))
            Add(found, "date the picture was last changed");
        if (Has(exif, ExifDirectoryBase.TagCopyright))
            Add(found, "copyright notice");
        if (Has(exif, ExifDirectoryBase.TagSoftware) || Has(exif, ExifDirectoryBase.TagHostComputer))
            Add(found, "software and computer name");
        if (Has(exif, ExifDirectoryBase.TagImageDescription) || Has(exif, ExifDirectoryBase.TagUserComment)
            || Has(exif, ExifDirectoryBase.TagWinComment) || Has(exif, ExifDirectoryBase.TagWinTitle) || Has(exif, ExifDirectoryBase.TagWinSubject))
            Add(found, "description or comment");
        if (Has(exif, ExifDirectoryBase.TagImageUniqueId))
            Add(found, "unique picture ID");
    }

    static void DescribePng(PngDirectory png, List<string> found, List<string> pngText)
    {
        if (png.ContainsTag(PngDirectory.TagLastModificationTime))
            Add(found, "date the picture was last changed");
        if (png.GetObject(PngDirectory.TagTextualData) is not IEnumerable<MetadataPair> pairs)
            return;
        foreach (var pair in pairs)
        {
            if (pair.Key.Contains("date", StringComparison.OrdinalIgnoreCase) || pair.Key.Contains("time", StringComparison.OrdinalIgnoreCase))
                Add(found, "date the picture was made");
            else if (pair.Key.Trim().ToLowerInvariant() is { Length: > 0 } key)
                Add(pngText, key);
        }
    }

    static bool Has(Directory directory, int tag) =>
        directory.ContainsTag(tag) && !string.IsNullOrWhiteSpace(directory.GetDescription(tag)?.Trim('\0'));

    static void Add(List<string> found, string item)
    {
        if (!found.Contains(item))
            found.Add(item);
    }
}
