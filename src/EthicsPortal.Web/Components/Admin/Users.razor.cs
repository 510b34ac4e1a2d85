using System.Security.Claims;
using EthicsPortal.Core.Common;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace EthicsPortal.Web.Components.Admin;

public partial class Users
{
    [Inject] private StaffAccountService Accounts { get; set; } = default!;
    [Inject] private EthicsPortal.Core.Sealing.RecoveryService Recovery { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private IReadOnlyList<StaffAccount>? _accounts;
    private NewAccountInput _new = new();
    private IReadOnlyDictionary<string, string[]>? _fieldErrors;
    private string? _formError;
    private string? _status;
    private bool _busy;
    private string? _editing;
    private HashSet<string> _editRoles = [];
    private string _actorId = "";
    private EthicsPortal.Core.Sealing.RecoveryStatus? _recovery;
    private string? _resetting;
    private string _resetPassword = "";
    private string? _resetError;

    protected override async Task OnInitializedAsync()
    {
        var state = await AuthState;
        _actorId = state.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        _recovery = (await Recovery.StatusAsync(_actorId)).Value;
        await ReloadAsync();
    }

    private async Task ReloadAsync() => _accounts = await Accounts.ListAsync();

    private bool HasError(string field) => _fieldErrors?.ContainsKey(field) == true;
    private string? ErrorFor(string field) => _fieldErrors?.TryGetValue(field, out var e) == true ? string.Join(" ", e) : null;

    private static void Toggle(HashSet<string> set, string role, bool on)
    {
        if (on) set.Add(role);
        else set.Remove(role);
    }

    private async Task CreateAsync()
    {
        _busy = true;
        try
        {
            var result = await Accounts.CreateAsync(new NewStaffAccount(_new.Email, _new.DisplayName, _new.Password, _new.Roles.ToList()), _actorId);
            if (Show(result, $"Account {_new.Email.Trim()} created."))
            {
                _new = new NewAccountInput();
                await ReloadAsync();
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private void StartEdit(StaffAccount account)
    {
        _editing = account.Id;
        _editRoles = account.Roles.ToHashSet();
    }

    private async Task SaveRolesAsync(string userId)
    {
        if (Show(await Accounts.SetRolesAsync(userId, _editRoles.ToList(), _actorId), "Roles saved."))
        {
            _editing = null;
            await ReloadAsync();
        }
    }

    private async Task LockAsync(string userId)
    {
        if (Show(await Accounts.LockAsync(userId, _actorId), "Account locked; its sessions end within a minute."))
            await ReloadAsync();
    }

    private async Task UnlockAsync(string userId)
    {
        if (Show(await Accounts.UnlockAsync(userId, _actorId), "Account unlocked."))
            await ReloadAsync();
    }

    private void StartReset(StaffAccount account)
    {
        _resetting = account.Id;
        _resetPassword = "";
        _resetError = null;
    }

    private async Task ResetAsync(StaffAccount account)
    {
        _busy = true;
        try
        {
            var result = await Accounts.ResetPasswordAsync(account.Id, _resetPassword, _actorId);
            _resetError = result.Error?.Message;
            if (result.Succeeded)
            {
                _resetting = null;
                _resetPassword = "";
                _status = $"The password of {account.Email} is reset. They choose their own at the next sign-in; their sessions end within a minute.";
                await ReloadAsync();
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private bool Show(Result result, string success)
    {
        _fieldErrors = result.Error?.Fields;
        _formError = result.Error?.Message;
        _status = result.Succeeded ? success : null;
        return result.Succeeded;
    }

    private sealed class NewAccountInput
    {
        public string Email { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string Password { get; set; } = "";
        public HashSet<string> Roles { get; } = [];
    }
}
