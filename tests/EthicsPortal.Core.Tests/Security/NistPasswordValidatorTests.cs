using EthicsPortal.Core.Security;

namespace EthicsPortal.Core.Tests.Security;

public sealed class NistPasswordValidatorTests
{
    [Theory]
    [InlineData("short-pass1")]          // 11 characters
    [InlineData("")]
    public void Validate_TooShort_Fails(string password)
        => Assert.Equal("PasswordTooShort", Assert.Single(NistPasswordValidator.Validate(password).Errors).Code);

    [Fact]
    public void Validate_Over128Characters_Fails()
        => Assert.Equal("PasswordTooLong", Assert.Single(NistPasswordValidator.Validate(new string('x', 129)).Errors).Code);

    [Theory]
    [InlineData("123qweasdzxc")]   // on the list, 12 characters
    [InlineData("QWERTY123456")]   // on the list in lower case
    public void Validate_CommonPassword_Fails(string password)
        => Assert.Equal("PasswordTooCommon", Assert.Single(NistPasswordValidator.Validate(password).Errors).Code);

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("alllowercaseletters")]   // no composition rules
    public void Validate_LongUncommonPassword_Succeeds(string password)
        => Assert.True(NistPasswordValidator.Validate(password).Succeeded);

    [Fact]
    public void Validate_Exactly128Characters_Succeeds()
        => Assert.True(NistPasswordValidator.Validate(new string('q', 100) + new string('z', 28)).Succeeded);
}
