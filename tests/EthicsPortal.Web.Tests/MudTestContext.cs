using Bunit;
using MudBlazor;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace EthicsPortal.Web.Tests;

/// <summary>
/// The one bUnit harness for MudBlazor components: loose JS interop (MudBlazor calls JS that bUnit does not
/// run), Mud services, and a rendered popover provider so menus, selects and dialogs can open.
/// </summary>
public abstract class MudTestContext : BunitContext
{
    protected MudTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
    }

    protected IRenderedComponent<MudPopoverProvider> RenderProviders()
    {
        Render<MudDialogProvider>();
        return Render<MudPopoverProvider>();
    }
}
