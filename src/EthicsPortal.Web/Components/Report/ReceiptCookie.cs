using EthicsPortal.Core.Intake;
using EthicsPortal.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;

namespace EthicsPortal.Web.Components.Report;

/// <summary>
/// Carries a new receipt from the submission's POST to the receipt page's GET, in the reporter's browser only: a
/// session cookie scoped to /report/receipt, void after an hour, deleted when they confirm they saved the receipt.
/// </summary>
public sealed class ReceiptCookie(IDataProtectionProvider dataProtection, TimeProvider time)
{
    public const string PagePath = "/report/receipt";

    public ReporterCookie<ShownReceipt> Cookie { get; } = new(dataProtection, time, "ep.receipt", PagePath, TimeSpan.FromHours(1));

    /// <summary>What was removed from each file, cut to fit in a cookie (the files themselves are stored whole).</summary>
    public static List<RemovedMetadata> Shorten(IReadOnlyList<RemovedMetadata> removed)
        => [.. removed.Take(10).Select(r => new RemovedMetadata(r.FileName.Length > 60 ? r.FileName[..60] + "…" : r.FileName, [.. r.Removed.Take(6)]))];
}
