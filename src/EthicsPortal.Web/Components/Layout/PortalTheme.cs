using MudBlazor;

namespace EthicsPortal.Web.Components.Layout;

/// <summary>One palette for the MudBlazor staff shell; wwwroot/css/site.css repeats it for the script-free pages.</summary>
public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#2f5d8a",
            Secondary = "#5c6b73",
            AppbarBackground = "#2f5d8a",
            Background = "#f6f7f9",
            // Darker than MudBlazor's defaults so text in these colours meets WCAG AA (4.5:1) on white (axe checks it).
            Warning = "#9a5b00",
            Error = "#b3261e",
            Success = "#2e6b30",
            Info = "#1f5f99",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8cb4e0",
            Secondary = "#a9b8c0",
            AppbarBackground = "#1e2a38",
        },
    };
}
