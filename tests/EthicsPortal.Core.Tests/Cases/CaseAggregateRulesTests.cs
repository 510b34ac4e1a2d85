using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;

namespace EthicsPortal.Core.Tests.Cases;

/// <summary>The aggregate refuses loudly: nothing added to an erased tombstone, no silent no-op, no reason cut short.</summary>
public class CaseAggregateRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 41, 17, TimeSpan.Zero);

    private static Case Erased()
    {
        var c = CaseWorkflowTests.NewCase();
        Assert.True(c.Reject("staff:h", T0, "out of scope", [1]).Succeeded);
        Assert.True(c.Erase("system", T0.AddYears(1)).Succeeded);
        return c;
    }

    [Fact]
    public void ErasedTombstone_RefusesEveryAddition_AndKeepsNothingNew()
    {
        var c = Erased();
        var events = c.Events.Count;

        Result[] tries =
        [
            c.AddNote("h", [1, 2], T0.AddYears(1)),
            c.AddCommitteeMessage("h", [1, 2], T0.AddYears(1)),
            c.AddReporterMessage([1, 2], T0.AddYears(1)),
            c.LinkCustomer("staff:h", T0.AddYears(1), 7, "Ministry"),
            c.RecordLinked("staff:h", T0.AddYears(1), "C-OTHER-0001"),
            c.Assign("staff:h", T0.AddYears(1), "h", "Hana", "handover"),
            c.RecordIdentityRevealed("staff:h", T0.AddYears(1), "need to ask"),
        ];

        Assert.All(tries, r => Assert.Equal(ErrorKind.IllegalTransition, r.Error?.Kind));
        Assert.Empty(c.Notes);
        Assert.Empty(c.Messages);
        Assert.Null(c.CustomerId);
        Assert.Equal(events, c.Events.Count);
    }

    [Fact]
    public void RepeatedChanges_AreRefused_NotSilentlyIgnored()
    {
        var c = CaseWorkflowTests.NewCase();
        Assert.True(c.Exclude("staff:c", T0, "u1", ExclusionSource.Chair, "conflict").Succeeded);
        Assert.True(c.FlagPattern("system", T0, "three concerns").Succeeded);
        Assert.True(c.LinkCustomer("staff:h", T0, 7, "Ministry").Succeeded);
        var events = c.Events.Count;

        Assert.False(c.Exclude("staff:c", T0, "u1", ExclusionSource.Chair, "again").Succeeded);
        Assert.False(c.FlagPattern("system", T0, "again").Succeeded);
        Assert.False(c.LinkCustomer("staff:h", T0, 7, "Ministry").Succeeded);
        Assert.False(c.SetPriority("staff:h", T0, c.Priority, "same").Succeeded);
        Assert.Equal(events, c.Events.Count);   // nothing recorded for what did not change
    }

    [Fact]
    public void ALongReason_IsRefusedWhereverItIsGiven_NeverCutShort()
    {
        var c = CaseWorkflowTests.NewCase();
        var tooLong = new string('r', CaseEvent.ReasonMaxLength);   // fits alone, not with the assignee's name before it
        var events = c.Events.Count;

        Assert.Equal(ErrorKind.Validation, c.Assign("staff:h", T0, "h", "Hana Handler", tooLong).Error?.Kind);
        Assert.Equal(ErrorKind.Validation, c.Reroute("staff:h", T0, 2, "Privacy", tooLong).Error?.Kind);
        Assert.Equal(ErrorKind.Validation, c.Exclude("staff:c", T0, "u2", ExclusionSource.Chair, tooLong + "r").Error?.Kind);
        Assert.Equal(ErrorKind.Validation, c.RecordIdentityRevealed("staff:h", T0, tooLong + "r").Error?.Kind);
        Assert.Null(c.AssigneeUserId);
        Assert.Equal(events, c.Events.Count);
        Assert.All(c.Events, e => Assert.True(e.Reason.Length <= CaseEvent.ReasonMaxLength));
    }
}
