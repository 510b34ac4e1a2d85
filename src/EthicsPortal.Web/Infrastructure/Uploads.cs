namespace EthicsPortal.Web.Infrastructure;

public static class Uploads
{
    /// <summary>
    /// A file the reporter chose. A browser sends an empty part without a name when no file was chosen: that one is
    /// skipped. A named file of 0 bytes goes on to the evidence checks, which say that it is empty, instead of being
    /// dropped without a word.
    /// </summary>
    public static bool WasChosen(IFormFile file) => file.Length > 0 || !string.IsNullOrEmpty(file.FileName);
}
