using EthicsPortal.Core.Intake.Evidence;

namespace EthicsPortal.Web.Infrastructure.Uploads;

public static class Uploads
{
    /// <summary>
    /// The files the reporter chose, as the evidence step reads them: straight from the request's encrypted spool
    /// (<see cref="SpooledForm"/>), nothing copied into memory here.
    /// </summary>
    public static IReadOnlyList<EvidenceFile> Chosen(HttpRequest request)
        => request.Form.Files.GetFiles("attachments").Where(WasChosen)
            .Select(f => new EvidenceFile(f.FileName, f.Length, f.OpenReadStream)).ToList();

    /// <summary>
    /// A file the reporter chose. A browser sends an empty part without a name when no file was chosen: that one is
    /// skipped. A named file of 0 bytes goes on to the evidence checks, which say that it is empty, instead of being
    /// dropped without a word.
    /// </summary>
    public static bool WasChosen(IFormFile file) => file.Length > 0 || !string.IsNullOrEmpty(file.FileName);
}
