namespace EthicsPortal.Web;

/// <summary>Marker for the reporter-facing strings in Resources/ReporterText.resx.</summary>
public sealed class ReporterText;
