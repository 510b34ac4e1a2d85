using System.Security.Cryptography;
using EthicsPortal.Core.Sealing;
using EthicsPortal.Core.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EthicsPortal.Core.Tests.Sealing;

/// <summary>Promise 3 of #16: what a member opens is kept only beside their unlocked key, bounded, and goes with it.</summary>
public class KeyChainTests
{
    private static KeyChain NewChain(FakeTimeProvider time) => new(time, Options.Create(new StaffSessionOptions { IdleTimeoutMinutes = 30 }));

    [Fact]
    public void OpenedCaseKeys_AreServedOnlyForTheSameCopy_WhileTheMembersKeyIsHeld_AndGoWithIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var chain = NewChain(time);
        var copy = RandomNumberGenerator.GetBytes(72);
        var key = RandomNumberGenerator.GetBytes(32);

        chain.HoldCaseKey("m", 1, CaseKeyPart.Content, copy, key);
        Assert.Null(chain.CaseKeyFor("m", 1, CaseKeyPart.Content, copy));   // nothing is kept for a member whose key is not held

        chain.Hold("m", Seal.NewKeyPair());
        chain.HoldCaseKey("m", 1, CaseKeyPart.Content, copy, key);
        Assert.Equal(key, chain.CaseKeyFor("m", 1, CaseKeyPart.Content, copy));
        Assert.Null(chain.CaseKeyFor("m", 1, CaseKeyPart.Content, RandomNumberGenerator.GetBytes(72)));   // re-sealed: opened afresh
        Assert.Null(chain.CaseKeyFor("m", 1, CaseKeyPart.Identity, copy));
        Assert.Null(chain.CaseKeyFor("other", 1, CaseKeyPart.Content, copy));

        var served = chain.CaseKeyFor("m", 1, CaseKeyPart.Content, copy)!;
        CryptographicOperations.ZeroMemory(served);                          // the caller's copy: zeroing it spoils nothing kept
        Assert.Equal(key, chain.CaseKeyFor("m", 1, CaseKeyPart.Content, copy));

        chain.Drop("m");
        chain.Hold("m", Seal.NewKeyPair());
        Assert.Null(chain.CaseKeyFor("m", 1, CaseKeyPart.Content, copy));   // sign-out took it

        chain.HoldCaseKey("m", 1, CaseKeyPart.Content, copy, key);
        time.Advance(TimeSpan.FromMinutes(31));
        Assert.Null(chain.For("m"));                                          // the idle timeout takes the key and what it opened
        chain.Hold("m", Seal.NewKeyPair());
        Assert.Null(chain.CaseKeyFor("m", 1, CaseKeyPart.Content, copy));
    }

    [Fact]
    public void AMembersOpenedCaseKeys_AreBounded()
    {
        var chain = NewChain(new FakeTimeProvider(DateTimeOffset.UtcNow));
        chain.Hold("m", Seal.NewKeyPair());
        var copy = RandomNumberGenerator.GetBytes(72);
        for (var caseId = 1; caseId <= KeyChain.OpenedCaseKeysPerMember; caseId++)
            chain.HoldCaseKey("m", caseId, CaseKeyPart.Content, copy, RandomNumberGenerator.GetBytes(32));
        Assert.NotNull(chain.CaseKeyFor("m", 1, CaseKeyPart.Content, copy));

        chain.HoldCaseKey("m", KeyChain.OpenedCaseKeysPerMember + 1, CaseKeyPart.Content, copy, RandomNumberGenerator.GetBytes(32));
        Assert.Null(chain.CaseKeyFor("m", 1, CaseKeyPart.Content, copy));
        Assert.NotNull(chain.CaseKeyFor("m", KeyChain.OpenedCaseKeysPerMember + 1, CaseKeyPart.Content, copy));
    }
}
