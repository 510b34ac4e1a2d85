using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace EthicsPortal.Web.Components.Layout;

/// <summary>For staff pages: who is signed in. Services check permissions again; this only names the actor.</summary>
public abstract class StaffComponentBase : ComponentBase
{
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    protected ClaimsPrincipal User { get; private set; } = new();
    protected string UserId { get; private set; } = "";

    protected override async Task OnInitializedAsync()
    {
        User = (await AuthState).User;
        UserId = User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        await OnStaffInitializedAsync();
    }

    protected virtual Task OnStaffInitializedAsync() => Task.CompletedTask;
}
