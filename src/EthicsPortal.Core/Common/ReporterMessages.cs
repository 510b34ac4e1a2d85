using System.Globalization;
using System.Resources;

namespace EthicsPortal.Core.Common;

/// <summary>
/// Reporter-facing messages produced in Core (validation, refused evidence), kept in
/// Resources/ReporterMessages.resx so they are translated like the pages, in the request's UI culture.
/// </summary>
public static class ReporterMessages
{
    private static readonly ResourceManager Resources = new("EthicsPortal.Core.Resources.ReporterMessages", typeof(ReporterMessages).Assembly);

    /// <summary>The message for <paramref name="key"/>, formatted with <paramref name="args"/>; a missing key is a bug and throws.</summary>
    public static string Text(string key, params object?[] args)
    {
        var template = Resources.GetString(key, CultureInfo.CurrentUICulture)
                       ?? throw new InvalidOperationException($"Reporter message '{key}' is missing from ReporterMessages.resx.");
        return args.Length == 0 ? template : string.Format(CultureInfo.CurrentCulture, template, args);
    }
}
