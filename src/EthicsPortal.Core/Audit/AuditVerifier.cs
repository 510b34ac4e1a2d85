using EthicsPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EthicsPortal.Core.Audit;

public enum AuditProblem { None, Edited, Missing, Inserted, Reordered, Truncated }

public sealed record AuditVerification(long EntriesChecked, long? FirstBrokenSequence, AuditProblem Problem, string Message)
{
    public bool IsIntact => Problem == AuditProblem.None;
}

/// <summary>Walks the chain from the first entry and names the first entry that does not hold.</summary>
public sealed class AuditVerifier(IDbContextFactory<EthicsDbContext> contexts, AuditHeadFile headFile)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var expectedSequence = 1L;
        var previousHash = AuditHasher.GenesisHash;
        var checkedCount = 0L;
        var seenHashes = new HashSet<string>(StringComparer.Ordinal);
        var hashTwoBack = (string?)null;

        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (AuditHasher.Compute(entry.PreviousHash, entry) != entry.Hash)
            {
                // The content no longer matches its own hash. An entry pushed one place down, still pointing at
                // the entry two back, means one was slipped in before it; matching under another sequence number
                // means it was moved; otherwise its content was changed.
                if (MatchesUnderSequence(entry, entry.Sequence - 1) && entry.PreviousHash == hashTwoBack)
                    return Broken(checkedCount, entry.Sequence - 1, AuditProblem.Inserted);
                var moved = MatchesUnderOtherSequence(entry);
                return Broken(checkedCount, entry.Sequence, moved ? AuditProblem.Reordered : AuditProblem.Edited);
            }
            if (entry.Sequence != expectedSequence || entry.PreviousHash != previousHash)
            {
                var problem = entry.Sequence > expectedSequence || !seenHashes.Contains(entry.PreviousHash)
                    ? AuditProblem.Missing
                    : AuditProblem.Reordered;
                return Broken(checkedCount, entry.Sequence, problem);
            }
            seenHashes.Add(entry.Hash);
            hashTwoBack = previousHash;
            previousHash = entry.Hash;
            expectedSequence++;
            checkedCount++;
        }

        var head = headFile.Read();
        if (head is { } h && (h.Sequence > checkedCount || (h.Sequence == checkedCount && h.Hash != previousHash)))
            return Broken(checkedCount, checkedCount + 1, AuditProblem.Truncated,
                $"the chain ends at entry {checkedCount} but the head kept outside the database names entry {h.Sequence}");

        return new AuditVerification(checkedCount, null, AuditProblem.None, $"audit chain intact: {checkedCount} entries");
    }

    private static bool MatchesUnderSequence(AuditEntry entry, long sequence)
    {
        if (sequence < 1)
            return false;
        var probe = new AuditEntry
        {
            Sequence = sequence, OccurredAt = entry.OccurredAt, Actor = entry.Actor, Action = entry.Action,
            Subject = entry.Subject, Details = entry.Details,
        };
        return AuditHasher.Compute(entry.PreviousHash, probe) == entry.Hash;
    }

    private static bool MatchesUnderOtherSequence(AuditEntry entry)
    {
        var probe = new AuditEntry
        {
            OccurredAt = entry.OccurredAt, Actor = entry.Actor, Action = entry.Action,
            Subject = entry.Subject, Details = entry.Details,
        };
        // A moved entry sits within a short distance of its place; look a little either way.
        for (var delta = -64L; delta <= 64; delta++)
        {
            if (delta == 0 || entry.Sequence + delta < 1)
                continue;
            probe.Sequence = entry.Sequence + delta;
            if (AuditHasher.Compute(entry.PreviousHash, probe) == entry.Hash)
                return true;
        }
        return false;
    }

    private static AuditVerification Broken(long checkedCount, long sequence, AuditProblem problem, string? detail = null)
    {
        var what = problem switch
        {
            AuditProblem.Edited => "was edited (its content does not match its hash)",
            AuditProblem.Missing => "follows a deleted entry (the chain skips a link)",
            AuditProblem.Inserted => "was inserted into the chain after the fact",
            AuditProblem.Reordered => "is out of order (it was moved in the chain)",
            AuditProblem.Truncated => "is missing: the tail of the chain was cut off",
            _ => "is broken",
        };
        return new AuditVerification(checkedCount, sequence, problem, detail is null
            ? $"audit chain broken at entry {sequence}: it {what}"
            : $"audit chain broken at entry {sequence}: {detail}");
    }
}
