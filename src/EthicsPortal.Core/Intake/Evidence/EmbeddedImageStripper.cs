using System.Buffers.Binary;

namespace EthicsPortal.Core.Intake.Evidence;

/// <summary>
/// Removes metadata blocks from pictures inside documents without re-encoding them, so their pixels, size and
/// colour handling stay exactly as the document expects. (Top-level pictures are re-encoded instead.)
/// </summary>
internal static class EmbeddedImageStripper
{
    const byte Marker = 0xFF;
    const byte StartOfImage = 0xD8, EndOfImage = 0xD9, StartOfScan = 0xDA, App0 = 0xE0, App14 = 0xEE;
    const int OrientationTag = 0x0112;

    // Chunks that only affect how the picture is drawn; every other chunk (tEXt, zTXt, iTXt, tIME, eXIf, iCCP,
    // private chunks…) is dropped.
    static readonly HashSet<string> PngDrawingChunks =
        ["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "sBIT", "bKGD", "pHYs", "hIST", "acTL", "fcTL", "fdAT", "cICP", "mDCv", "cLLi"];

    /// <summary>
    /// A copy of <paramref name="data"/> without metadata, or null when it is not a well-formed JPEG or PNG.
    /// <paramref name="keepOrientation"/> keeps a one-tag EXIF block with the orientation, for hosts (Word, Excel)
    /// that rotate pictures by it; PDF ignores EXIF, so it passes false.
    /// </summary>
    public static byte[]? Strip(byte[] data, bool keepOrientation) =>
        FileTypeDetector.Detect(data) switch
        {
            ContentFamily.Jpeg => StripJpeg(data, keepOrientation ? ImageMetadataReport.Orientation(data) : 1),
            ContentFamily.Png => StripPng(data),
            _ => null,
        };

    static byte[]? StripJpeg(byte[] data, int orientation)
    {
        using var output = new MemoryStream(data.Length);
        output.Write([Marker, StartOfImage]);
        if (orientation != 1)
            output.Write(OrientationOnlyExif(orientation));

        var position = 2;
        while (true)
        {
            if (position + 1 >= data.Length || data[position] != Marker)
                return null;
            var marker = data[position + 1];
            if (marker == Marker)
            {
                position++;   // fill byte
                continue;
            }
            if (marker is StartOfScan)
                return CopyScans(data, position, output);
            if (marker is EndOfImage)
                return null;
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                output.Write(data, position, 2);   // markers without a length
                position += 2;
                continue;
            }

            if (position + 3 >= data.Length)
                return null;
            var length = (data[position + 2] << 8) | data[position + 3];
            if (length < 2 || position + 2 + length > data.Length)
                return null;

            if (KeepJpegSegment(data.AsSpan(position + 4, length - 2), marker))
                output.Write(data, position, 2 + length);
            position += 2 + length;
        }
    }

    // APP0 only as a plain JFIF header (no thumbnail) and APP14 (Adobe colour transform, needed to draw CMYK);
    // every other APPn (EXIF, XMP, ICC, IPTC, maker data…) and every comment goes.
    static bool KeepJpegSegment(ReadOnlySpan<byte> payload, byte marker) => marker switch
    {
        App0 => payload.Length == 14 && payload.StartsWith("JFIF\0"u8),
        App14 => true,
        >= 0xE1 and <= 0xEF => false,
        0xFE => false,
        _ => true,
    };

    // Entropy-coded data escapes every 0xFF, so the first FF D9 after the scans start is the true end of the image;
    // anything after it (appended files, vendor trailers) is dropped.
    static byte[]? CopyScans(byte[] data, int start, MemoryStream output)
    {
        var end = data.AsSpan(start).IndexOf([Marker, EndOfImage]);
        if (end < 0)
            return null;
        output.Write(data, start, end + 2);
        return output.ToArray();
    }

    static byte[] OrientationOnlyExif(int orientation)
    {
        // APP1 "Exif\0\0", big-endian TIFF header, one IFD with one SHORT entry, no next IFD.
        var segment = new byte[36];
        segment[0] = Marker;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), 34);
        "Exif\0\0MM\0\x2A\0\0\0\x08"u8.CopyTo(segment.AsSpan(4));
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(18), 1);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(20), OrientationTag);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(22), 3);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(24), 1);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(28), (ushort)orientation);
        return segment;   // bytes 30..35: padding and a zero next-IFD offset
    }

    static byte[]? StripPng(byte[] data)
    {
        using var output = new MemoryStream(data.Length);
        output.Write(data, 0, 8);
        var position = 8;
        while (position + 12 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(position));
            if (length > int.MaxValue || position + 12L + length > data.Length)
                return null;
            var type = System.Text.Encoding.ASCII.GetString(data, position + 4, 4);
            var total = 12 + (int)length;
            if (PngDrawingChunks.Contains(type))
                output.Write(data, position, total);
            position += total;
            if (type == "IEND")
                return output.ToArray();   // drop anything appended after the end
        }
        return null;
    }
}
