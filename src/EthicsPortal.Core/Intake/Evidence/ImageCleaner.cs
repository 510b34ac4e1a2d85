using EthicsPortal.Core.Common;
using SkiaSharp;

namespace EthicsPortal.Core.Intake.Evidence;

/// <summary>The cleaned bytes of a file and, in plain words, what was taken out of it.</summary>
internal sealed record CleanedContent(byte[] Content, IReadOnlyList<string> Removed);

/// <summary>
/// Re-encodes a JPEG or PNG from its pixels alone, so no block of the original (EXIF, XMP, IPTC, PNG text, ICC
/// profile, trailing data) can survive. The EXIF orientation is applied to the pixels first, so the picture still
/// looks the way the reporter saw it.
/// </summary>
internal static class ImageCleaner
{
    const int JpegQuality = 90;

    public static Result<CleanedContent> Clean(string name, EvidenceKind kind, byte[] content, long maxPixels)
    {
        using var data = SKData.CreateCopy(content);
        using var codec = SKCodec.Create(data);
        if (codec is null)
            return Error.Validation(EvidenceMessages.Damaged(name, kind));

        // Check the size from the header before allocating anything: a tiny file can claim billions of pixels.
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0)
            return Error.Validation(EvidenceMessages.Damaged(name, kind));
        if ((long)width * height > maxPixels)
            return Error.Validation(EvidenceMessages.ImageTooLarge(name, width, height));

        using var srgb = SKColorSpace.CreateSrgb();
        var alpha = kind == EvidenceKind.Jpeg ? SKAlphaType.Opaque : SKAlphaType.Premul;
        var decodeInfo = new SKImageInfo(width, height, SKColorType.Rgba8888, alpha, srgb);
        using var decoded = new SKBitmap();
        if (!decoded.TryAllocPixels(decodeInfo))
            return Error.Validation(EvidenceMessages.ImageTooLarge(name, width, height));

        // Anything short of a full decode (a truncated or corrupt file) is refused rather than padded out.
        if (codec.GetPixels(decodeInfo, decoded.GetPixels()) != SKCodecResult.Success)
            return Error.Validation(EvidenceMessages.Damaged(name, kind));

        using var rotated = codec.EncodedOrigin == SKEncodedOrigin.TopLeft ? null : Orient(decoded, codec.EncodedOrigin);
        var upright = rotated ?? decoded;

        // The pixels are sRGB now; encoding them without a colour space writes no ICC profile at all.
        using var pixels = upright.PeekPixels();
        using var untagged = pixels.WithColorSpace(null!);
        using var encoded = untagged.Encode(kind == EvidenceKind.Jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png, JpegQuality);
        if (encoded is null)
            return Error.Validation(EvidenceMessages.CleanFailed(name));

        var cleaned = encoded.ToArray();
        // Belt and braces: if an encoder ever starts writing metadata of its own, refuse rather than store it.
        if (ImageMetadataReport.Describe(cleaned).Count > 0)
            return Error.Validation(EvidenceMessages.CleanFailed(name));

        return new CleanedContent(cleaned, ImageMetadataReport.Describe(content));
    }

    /// <summary>Draws the decoded pixels upright, following the EXIF orientation (TIFF/EXIF tag 0x0112).</summary>
    static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        float w = source.Width, h = source.Height;
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        // SKMatrix(scaleX, skewX, transX, skewY, scaleY, transY, …): x' = scaleX·x + skewX·y + transX, y' = skewY·x + scaleY·y + transY.
        var matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),       // mirrored left-right
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),   // upside down
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),     // mirrored top-bottom
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),         // transposed
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),       // turned a quarter clockwise
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),   // transverse
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),     // turned a quarter anticlockwise
            _ => SKMatrix.Identity,
        };

        var info = new SKImageInfo(swap ? source.Height : source.Width, swap ? source.Width : source.Height, source.ColorType, source.AlphaType, source.ColorSpace);
        var target = new SKBitmap(info);
        using var canvas = new SKCanvas(target);
        canvas.Clear(SKColors.Transparent);
        canvas.SetMatrix(matrix);
        canvas.DrawBitmap(source, 0, 0);
        canvas.Flush();
        return target;
    }
}
