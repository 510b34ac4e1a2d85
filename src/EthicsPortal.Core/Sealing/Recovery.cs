namespace EthicsPortal.Core.Sealing;

/// <summary>
/// The organisation's recovery key (#16 promise 6): its public half in the clear, so intake seals every concern to it
/// with nobody signed in; its private half only sealed, nested, to every set of <see cref="Threshold"/> custodians
/// (<see cref="RecoveryShare"/>). One row at most.
/// </summary>
public sealed class RecoveryKey
{
    public const int SingleId = 1;

    private RecoveryKey() { }

    public int Id { get; private set; } = SingleId;
    public byte[] PublicKey { get; private set; } = [];
    public int Threshold { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";

    internal static RecoveryKey Create(byte[] publicKey, int threshold, string createdBy, DateTimeOffset at)
        => new() { PublicKey = publicKey, Threshold = threshold, CreatedBy = createdBy, CreatedAt = at };

    /// <summary>The same key dealt to new custodians: only how many are needed changes here.</summary>
    internal void Redeal(int threshold) => Threshold = threshold;
}

/// <summary>A named custodian: the public key their printed code derives (<see cref="Seal.CustodianKey"/>), never the code.</summary>
public sealed class RecoveryCustodian
{
    private RecoveryCustodian() { }

    public int Position { get; private set; }
    public string Name { get; private set; } = "";
    public byte[] PublicKey { get; private set; } = [];

    internal static RecoveryCustodian Create(int position, string name, byte[] publicKey) => new() { Position = position, Name = name, PublicKey = publicKey };
}

/// <summary>The recovery private key sealed, nested, to one set of custodians (<see cref="Quorum"/>); the set as "0,2".</summary>
public sealed class RecoveryShare
{
    private RecoveryShare() { }

    public string Custodians { get; private set; } = "";
    public byte[] Sealed { get; private set; } = [];

    internal static RecoveryShare From(QuorumShare share) => new() { Custodians = string.Join(',', share.Custodians), Sealed = share.Sealed };

    internal QuorumShare ToShare() => new(Custodians.Split(',').Select(int.Parse).ToArray(), Sealed);
}
