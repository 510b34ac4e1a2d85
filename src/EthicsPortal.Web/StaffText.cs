namespace EthicsPortal.Web;

/// <summary>Marker for the staff shell's strings (navigation, app bar) in Resources/StaffText.resx.</summary>
public sealed class StaffText;
