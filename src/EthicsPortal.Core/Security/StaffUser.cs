using Microsoft.AspNetCore.Identity;

namespace EthicsPortal.Core.Security;

public sealed class StaffUser : IdentityUser
{
    public const int DisplayNameMaxLength = 100;
    public const int EmailMaxLength = 256;

    public string DisplayName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
