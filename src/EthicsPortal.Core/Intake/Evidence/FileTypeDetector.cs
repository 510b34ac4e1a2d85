namespace EthicsPortal.Core.Intake.Evidence;

/// <summary>What the bytes of a file say it is; the name is never consulted here.</summary>
internal enum ContentFamily { Empty, Jpeg, Png, Pdf, Zip, Text, Program, Archive, LegacyOffice, Unknown }

/// <summary>Recognises a file by its magic bytes, and plain text by strict UTF-8.</summary>
internal static class FileTypeDetector
{
    public static ContentFamily Detect(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return ContentFamily.Empty;
        if (Starts(data, [0xFF, 0xD8, 0xFF]))
            return ContentFamily.Jpeg;
        if (Starts(data, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            return ContentFamily.Png;
        if (Starts(data, "%PDF-"u8))
            return ContentFamily.Pdf;
        if (Starts(data, "PK\x03\x04"u8))
            return ContentFamily.Zip;
        if (IsProgram(data))
            return ContentFamily.Program;
        if (IsArchive(data))
            return ContentFamily.Archive;
        if (Starts(data, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
            return ContentFamily.LegacyOffice;
        return IsPlainText(data) ? ContentFamily.Text : ContentFamily.Unknown;
    }

    static bool IsProgram(ReadOnlySpan<byte> data) =>
        Starts(data, "MZ"u8)                                            // Windows and DOS executables
        || Starts(data, [0x7F, 0x45, 0x4C, 0x46])                       // ELF
        || Starts(data, [0xFE, 0xED, 0xFA, 0xCE])                       // Mach-O 32-bit
        || Starts(data, [0xFE, 0xED, 0xFA, 0xCF])                       // Mach-O 64-bit
        || Starts(data, [0xCE, 0xFA, 0xED, 0xFE])                       // Mach-O 32-bit, little-endian
        || Starts(data, [0xCF, 0xFA, 0xED, 0xFE])                       // Mach-O 64-bit, little-endian
        || Starts(data, [0xCA, 0xFE, 0xBA, 0xBE])                       // Mach-O universal binary (and Java classes)
        || Starts(data, "\0asm"u8)                                      // WebAssembly
        || Starts(SkipBom(data), "#!"u8);                               // scripts with an interpreter line

    static bool IsArchive(ReadOnlySpan<byte> data) =>
        Starts(data, "PK\x05\x06"u8) || Starts(data, "PK\x07\x08"u8)    // empty or spanned zip
        || Starts(data, [0x1F, 0x8B])                                   // gzip
        || Starts(data, [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C])           // 7z
        || Starts(data, "Rar!\x1A\x07"u8)                               // rar 4 and 5
        || Starts(data, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])           // xz
        || IsBzip2(data)
        || (data.Length >= 262 && Same(data[257..262], "ustar"u8));     // tar

    // "BZh" alone is ordinary text, so require the block-size digit and a block or end-of-stream magic.
    static bool IsBzip2(ReadOnlySpan<byte> data) =>
        data.Length >= 10 && Starts(data, "BZh"u8) && data[3] is >= (byte)'1' and <= (byte)'9'
        && (Same(data[4..10], [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]) || Same(data[4..10], [0x17, 0x72, 0x45, 0x38, 0x50, 0x90]));

    static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> data) =>
        Starts(data, [0xEF, 0xBB, 0xBF]) ? data[3..] : data;

    static bool Starts(ReadOnlySpan<byte> data, ReadOnlySpan<byte> magic) => data.StartsWith(magic);

    static bool Same(ReadOnlySpan<byte> data, ReadOnlySpan<byte> magic) => data.SequenceEqual(magic);

    /// <summary>
    /// Strict UTF-8 (a BOM is fine) with no NUL and no control characters other than tab, CR, LF and form feed. Checked
    /// on the bytes, without decoding: a 25 MB file must not become a 50 MB string. In valid UTF-8 the C0 controls and
    /// DEL are single bytes, and the C1 controls (U+0080 to U+009F) are exactly C2 80 to C2 9F.
    /// </summary>
    public static bool IsPlainText(ReadOnlySpan<byte> data)
    {
        data = SkipBom(data);
        if (!System.Text.Unicode.Utf8.IsValid(data))
            return false;
        for (var i = data.IndexOfAny(Suspicious); i >= 0; )
        {
            var b = data[i];
            if (b < 0x20 || b == 0x7F)
            {
                if (b is not ((byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\f'))
                    return false;
            }
            else if (data[i + 1] <= 0x9F)   // C2 is always followed by 80..BF here; 80..9F are the C1 controls
            {
                return false;
            }
            var next = data[(i + 1)..].IndexOfAny(Suspicious);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return true;
    }

    /// <summary>Every C0 control, DEL, and C2 (the lead byte of the C1 controls).</summary>
    static readonly System.Buffers.SearchValues<byte> Suspicious = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), 0x7F, 0xC2]);
}
