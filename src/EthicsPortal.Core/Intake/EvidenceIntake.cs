using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Intake.Evidence;
using EthicsPortal.Core.Security;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace EthicsPortal.Core.Intake;

/// <summary>
/// The one path evidence takes, at intake and later from the inbox: limits, content checks, metadata removal,
/// encryption. Either every file passes or none is kept. Files are read, cleaned and encrypted one at a time, and only
/// the ciphertext is kept, so an upload holds about its encrypted size plus one file being cleaned. At most
/// <see cref="IntakeOptions.EvidenceAtOnce"/> uploads do this at once (<see cref="EnterAsync"/>); the rest wait.
/// </summary>
public sealed class EvidenceIntake(IOptions<IntakeOptions> options, EvidenceSanitizer sanitizer) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.EvidenceAtOnce));

    /// <summary>
    /// A place among the uploads being cleaned and stored; dispose it once the upload is saved (or refused). Nothing
    /// to wait for when there are no files.
    /// </summary>
    public async Task<IDisposable> EnterAsync(IReadOnlyList<EvidenceFile> files, CancellationToken ct)
    {
        if (files.Count == 0)
            return NoSlot.Instance;
        await _slots.WaitAsync(ct);
        if (Interlocked.Exchange(ref _largeUploadsDone, 0) > 0)
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        return new Slot(this, files.Sum(f => f.Length) >= CollectAfterBytes);
    }

    private int _largeUploadsDone;

    /// <summary>
    /// An upload this large leaves its originals, cleaned copies and ciphertext (each file in one large array) behind as
    /// garbage. The GC would collect it only after several such uploads, so under a burst of them memory would grow
    /// by hundreds of MB. The next upload to take the slot collects it first (by then the last one's request has let go
    /// of it), which keeps the bound about one upload wide; uploads that come alone never pay for it.
    /// </summary>
    private const long CollectAfterBytes = 16L * 1024 * 1024;

    public Result<CleanedUpload> Prepare(IReadOnlyList<EvidenceFile> files, Sealing.CaseCipher cipher, DateTimeOffset addedAt, string addedBy)
    {
        var o = options.Value;
        string? limit = null;
        if (files.Count > o.MaxFiles)
            limit = ReporterMessages.Text("Upload.TooMany", o.MaxFiles);
        else if (files.FirstOrDefault(f => f.Length > o.MaxFileBytes) is { } big)
            limit = ReporterMessages.Text("Upload.FileTooLarge", Path.GetFileName(big.FileName), o.MaxFileBytes / (1024 * 1024));
        else if (files.Sum(f => f.Length) > o.MaxTotalBytes)
            limit = ReporterMessages.Text("Upload.TotalTooLarge", o.MaxTotalBytes / (1024 * 1024));
        if (limit is not null)
            return Refused(limit);

        var attachments = new List<Attachment>(files.Count);
        var removed = new List<RemovedMetadata>(files.Count);
        var hashes = new List<string>(files.Count);
        foreach (var file in files)
        {
            var clean = sanitizer.Clean(file);
            if (!clean.Succeeded)
                return Refused(clean.Error!.Message);
            var e = clean.Value!;
            hashes.Add(Convert.ToHexStringLower(SHA256.HashData(e.Content)));
            removed.Add(new RemovedMetadata(e.FileName, e.Removed));
            attachments.Add(Attachment.Create(cipher.EncryptText(Sealing.SealedField.AttachmentName, e.FileName), e,
                cipher.Encrypt(Sealing.SealedField.Attachment, e.Content), addedAt, addedBy));
        }
        return new CleanedUpload(attachments, removed, hashes);
    }

    public void Dispose() => _slots.Dispose();

    private static Error Refused(string message) => Error.Validation(
        ReporterMessages.Text("Upload.NothingSubmitted", message),
        new Dictionary<string, string[]> { ["Attachments"] = [message] });

    private sealed class Slot(EvidenceIntake owner, bool large) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
                return;
            if (large)
                Interlocked.Increment(ref owner._largeUploadsDone);
            owner._slots.Release();
        }
    }

    private sealed class NoSlot : IDisposable
    {
        public static readonly NoSlot Instance = new();
        public void Dispose() { }
    }
}

/// <summary>
/// An upload that passed: its attachments (encrypted), what was removed from each file, and the SHA-256 of each
/// cleaned file (hex), in order, for the reporter's proof.
/// </summary>
public sealed record CleanedUpload(IReadOnlyList<Attachment> Attachments, IReadOnlyList<RemovedMetadata> Removed, IReadOnlyList<string> ContentHashes);
