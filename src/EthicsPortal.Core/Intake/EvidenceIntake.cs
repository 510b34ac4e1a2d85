using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Intake.Evidence;
using EthicsPortal.Core.Security;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.Intake;

/// <summary>
/// The one path evidence takes, at intake and later from the inbox: limits, content checks, metadata removal,
/// encryption. Either every file passes or none is kept.
/// </summary>
public sealed class EvidenceIntake(IOptions<IntakeOptions> options, EvidenceSanitizer sanitizer, ContentProtector protector)
{
    public Result<CleanedUpload> Prepare(IReadOnlyList<EvidenceFile> files, DateTimeOffset addedAt, string addedBy)
    {
        var o = options.Value;
        string? limit = null;
        if (files.Count > o.MaxFiles)
            limit = ReporterMessages.Text("Upload.TooMany", o.MaxFiles);
        else if (files.FirstOrDefault(f => f.Content.LongLength > o.MaxFileBytes) is { } big)
            limit = ReporterMessages.Text("Upload.FileTooLarge", Path.GetFileName(big.FileName), o.MaxFileBytes / (1024 * 1024));
        else if (files.Sum(f => f.Content.LongLength) > o.MaxTotalBytes)
            limit = ReporterMessages.Text("Upload.TotalTooLarge", o.MaxTotalBytes / (1024 * 1024));
        if (limit is not null)
            return Refused(limit);

        var cleaned = new List<CleanEvidence>(files.Count);
        foreach (var file in files)
        {
            var clean = sanitizer.Clean(file);
            if (!clean.Succeeded)
                return Refused(clean.Error!.Message);
            cleaned.Add(clean.Value!);
        }
        var attachments = cleaned.Select(e => Attachment.Create(
            protector.ProtectText(ProtectedKind.AttachmentName, e.FileName), e,
            protector.Protect(ProtectedKind.AttachmentContent, e.Content), addedAt, addedBy)).ToList();
        return new CleanedUpload(cleaned, attachments);
    }

    private static Error Refused(string message) => Error.Validation(
        ReporterMessages.Text("Upload.NothingSubmitted", message),
        new Dictionary<string, string[]> { ["Attachments"] = [message] });
}

public sealed record CleanedUpload(IReadOnlyList<CleanEvidence> Evidence, IReadOnlyList<Attachment> Attachments)
{
    public IReadOnlyList<RemovedMetadata> Removed => Evidence.Select(e => new RemovedMetadata(e.FileName, e.Removed)).ToList();
}
