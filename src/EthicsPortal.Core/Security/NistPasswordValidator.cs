using System.Reflection;
using Microsoft.AspNetCore.Identity;

namespace EthicsPortal.Core.Security;

/// <summary>
/// NIST SP 800-63B: length 12 to 128, no composition rules, and no password from the list of the
/// 10,000 most common ones (compared case-insensitively, as attackers' lists are).
/// </summary>
public sealed class NistPasswordValidator : IPasswordValidator<StaffUser>
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommonPasswords);

    public Task<IdentityResult> ValidateAsync(UserManager<StaffUser> manager, StaffUser user, string? password)
        => Task.FromResult(Validate(password));

    public static IdentityResult Validate(string? password)
    {
        password ??= "";
        if (password.Length < MinLength)
            return Fail("PasswordTooShort", $"Use at least {MinLength} characters. A few unrelated words make a good password.");
        if (password.Length > MaxLength)
            return Fail("PasswordTooLong", $"Use at most {MaxLength} characters.");
        if (IsCommon(password))
            return Fail("PasswordTooCommon", "This password is on the list of the most common passwords. Choose another.");
        return IdentityResult.Success;
    }

    public static bool IsCommon(string password) => Common.Value.Contains(password);

    private static IdentityResult Fail(string code, string description)
        => IdentityResult.Failed(new IdentityError { Code = code, Description = description });

    private static HashSet<string> LoadCommonPasswords()
    {
        using var stream = Assembly.GetExecutingAssembly()
            .GetManifestResourceStream("EthicsPortal.Core.Security.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is not embedded.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
                set.Add(line);
        }
        return set;
    }
}
