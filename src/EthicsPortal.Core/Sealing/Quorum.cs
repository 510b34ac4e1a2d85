namespace EthicsPortal.Core.Sealing;

/// <summary>
/// M of N recovery without a secret-sharing library (none is served here): the secret is sealed, nested, to every
/// set of M custodians, so opening it needs the private keys of all M of one set, in the set's order. Fewer than M
/// custodians hold no layer they can open all the way: each layer is a <see cref="Seal.To"/> to one custodian.
/// The number of sets is N choose M: 3 for 2 of 3, 10 for 3 of 5; meant for small N.
/// </summary>
public static class Quorum
{
    /// <summary>One sealed copy for each set of <paramref name="m"/> custodians (indices into the public keys, ascending).</summary>
    public static IReadOnlyList<QuorumShare> Split(ReadOnlySpan<byte> secret, IReadOnlyList<byte[]> custodianPublicKeys, int m, string context)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(m, custodianPublicKeys.Count);
        var copy = secret.ToArray();
        return Sets(custodianPublicKeys.Count, m).Select(set =>
        {
            // Innermost layer for the last custodian of the set, outermost for the first.
            var sealedSecret = copy;
            for (var i = set.Length - 1; i >= 0; i--)
                sealedSecret = Seal.To(custodianPublicKeys[set[i]], sealedSecret, $"{context}|layer {i + 1} of {set.Length}");
            return new QuorumShare(set, sealedSecret);
        }).ToList();
    }

    /// <summary>The secret, when the given custodians (index → private key) cover one whole set; else null.</summary>
    public static byte[]? Recover(IReadOnlyList<QuorumShare> shares, IReadOnlyDictionary<int, NSec.Cryptography.Key> custodians, string context)
    {
        foreach (var share in shares.Where(s => s.Custodians.All(custodians.ContainsKey)))
        {
            byte[]? opened = share.Sealed;
            for (var i = 0; i < share.Custodians.Length && opened is not null; i++)
                opened = Seal.Open(custodians[share.Custodians[i]], opened, $"{context}|layer {i + 1} of {share.Custodians.Length}");
            if (opened is not null)
                return opened;
        }
        return null;
    }

    private static IEnumerable<int[]> Sets(int n, int m)
    {
        if (m == 0)
        {
            yield return [];
            yield break;
        }
        for (var first = 0; first <= n - m; first++)
        {
            foreach (var rest in Sets(n - first - 1, m - 1))
                yield return [first, .. rest.Select(r => r + first + 1)];
        }
    }
}

/// <summary>The secret sealed, nested, to one set of custodians.</summary>
public sealed record QuorumShare(int[] Custodians, byte[] Sealed);
