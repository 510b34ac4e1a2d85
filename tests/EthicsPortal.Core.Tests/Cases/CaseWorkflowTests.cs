using EthicsPortal.Core.Cases;
using EthicsPortal.Core.Common;

namespace EthicsPortal.Core.Tests.Cases;

public class CaseWorkflowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 41, 17, TimeSpan.Zero);

    internal static Case NewCase(ReportChannel channel = ReportChannel.WebConfidential, DateTimeOffset? at = null)
        => Case.Receive(new NewCase("C-TEST-0001", channel, "cloud-storage", "mass-surveillance", OngoingHarm.Yes, 1,
            [1], null, new byte[32], new string('0', 64), [], [], "reporter", new DeadlineOptions()), at ?? T0);

    /// <summary>Drives a case to the given state along legal moves.</summary>
    private static Case At(CaseStatus status)
    {
        var c = NewCase();
        Result Step(CaseStatus to) => to switch
        {
            CaseStatus.Acknowledged => c.Acknowledge("staff:h", T0),
            CaseStatus.Triage => c.StartTriage("staff:h", T0, "triage"),
            CaseStatus.Investigating => c.StartInvestigation("staff:h", T0, "investigate"),
            CaseStatus.Referred => c.Refer("staff:h", T0, "to legal"),
            CaseStatus.Closed => c.Close("staff:h", T0, "done", [1]),
            CaseStatus.Rejected => c.Reject("staff:h", T0, "out of scope", [1]),
            CaseStatus.Reopened => c.Reopen("staff:h", T0, "new facts"),
            _ => Result.Ok(),
        };
        CaseStatus[] path = status switch
        {
            CaseStatus.Received => [],
            CaseStatus.Acknowledged => [CaseStatus.Acknowledged],
            CaseStatus.Triage => [CaseStatus.Acknowledged, CaseStatus.Triage],
            CaseStatus.Investigating => [CaseStatus.Acknowledged, CaseStatus.Triage, CaseStatus.Investigating],
            CaseStatus.Referred => [CaseStatus.Acknowledged, CaseStatus.Referred],
            CaseStatus.Closed => [CaseStatus.Acknowledged, CaseStatus.Triage, CaseStatus.Closed],
            CaseStatus.Rejected => [CaseStatus.Rejected],
            CaseStatus.Reopened => [CaseStatus.Rejected, CaseStatus.Reopened],
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };
        foreach (var to in path)
            Assert.True(Step(to).Succeeded);
        Assert.Equal(status, c.Status);
        return c;
    }

    private static Result Try(Case c, CaseStatus to) => to switch
    {
        CaseStatus.Acknowledged => c.Acknowledge("staff:h", T0.AddHours(1)),
        CaseStatus.Triage => c.StartTriage("staff:h", T0.AddHours(1), "r"),
        CaseStatus.Investigating => c.StartInvestigation("staff:h", T0.AddHours(1), "r"),
        CaseStatus.Referred => c.Refer("staff:h", T0.AddHours(1), "r"),
        CaseStatus.Closed => c.Close("staff:h", T0.AddHours(1), "r", [1]),
        CaseStatus.Rejected => c.Reject("staff:h", T0.AddHours(1), "r", [1]),
        CaseStatus.Reopened => c.Reopen("staff:h", T0.AddHours(1), "r"),
        _ => Error.Validation("cannot move back to Received"),
    };

    public static TheoryData<CaseStatus, CaseStatus> EveryPair()
    {
        var data = new TheoryData<CaseStatus, CaseStatus>();
        foreach (var from in Enum.GetValues<CaseStatus>())
            foreach (var to in Enum.GetValues<CaseStatus>())
                data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Move_EveryPair_SucceedsExactlyWhenTheWorkflowAllowsIt(CaseStatus from, CaseStatus to)
    {
        var c = At(from);
        var events = c.Events.Count;
        var allowed = Case.Moves[from].Contains(to);

        var result = Try(c, to);

        Assert.Equal(allowed, result.Succeeded);
        if (allowed)
        {
            Assert.Equal(to, c.Status);
            var e = c.Events[^1];
            Assert.Equal((from, to, "staff:h"), (e.From!.Value, e.To, e.Actor));
            Assert.Equal(events + 1, c.Events.Count);
        }
        else
        {
            Assert.Equal(from, c.Status);
            Assert.Equal(events, c.Events.Count);
            if (to != CaseStatus.Received)
                Assert.Equal(ErrorKind.IllegalTransition, result.Error!.Kind);
        }
    }

    [Fact]
    public void Close_FromReceived_FailsWithAClearMessage()
    {
        var c = NewCase();

        var result = c.Close("staff:h", T0, "done", [1]);

        Assert.Equal("A case that is received cannot be moved to closed.", result.Error!.Message);
    }

    [Fact]
    public void Move_WithoutReason_IsRefused()
    {
        var c = At(CaseStatus.Acknowledged);

        Assert.Equal(ErrorKind.Validation, c.StartTriage("staff:h", T0, "  ").Error!.Kind);
        Assert.Equal(CaseStatus.Acknowledged, c.Status);
    }

    [Fact]
    public void Move_ChangesTheConcurrencyVersion()
    {
        var c = NewCase();
        var before = c.Version;

        c.Acknowledge("staff:h", T0);

        Assert.NotEqual(before, c.Version);
    }

    [Fact]
    public void Receive_Anonymous_KeepsOnlyTheHour()
    {
        var c = NewCase(ReportChannel.WebAnonymous);

        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero), c.ReceivedAt);
        Assert.Equal(c.ReceivedAt, Assert.Single(c.Events).At);
    }

    [Fact]
    public void Acknowledge_LateOrOnTime_IsRecordedForStatisticsAndMovesTheFeedbackDeadline()
    {
        var onTime = NewCase();
        var late = NewCase();

        onTime.Acknowledge("staff:h", T0.AddDays(6));
        late.Acknowledge("staff:h", T0.AddDays(8));

        Assert.True(onTime.AcknowledgedInTime);
        Assert.False(late.AcknowledgedInTime);
        Assert.Equal(T0.AddDays(6).AddMonths(3), onTime.FeedbackBy);
        Assert.Equal((long)TimeSpan.FromDays(6).TotalSeconds, onTime.SecondsToAcknowledge);
        Assert.Equal(202603, onTime.ReceivedMonth);
    }

    [Fact]
    public void Receive_Confidential_KeepsTheExactTime()
        => Assert.Equal(T0, NewCase(ReportChannel.WebConfidential).ReceivedAt);

    [Fact]
    public void CheckIn_DueOnlyFromDay30AndOncePerPeriod_YesFlagsTheCase()
    {
        int[] days = [30, 60, 90];
        var c = NewCase();

        Assert.Null(c.DueCheckIn(T0.AddDays(29), days));
        Assert.Equal(30, c.DueCheckIn(T0.AddDays(30), days));
        Assert.True(c.AnswerCheckIn(30, false, null, T0.AddDays(31), days).Succeeded);
        Assert.False(c.RetaliationFlagged);
        Assert.Null(c.DueCheckIn(T0.AddDays(59), days));
        Assert.False(c.AnswerCheckIn(30, true, null, T0.AddDays(40), days).Succeeded);
        Assert.Equal(60, c.DueCheckIn(T0.AddDays(61), days));
        Assert.True(c.AnswerCheckIn(60, true, [1, 2], T0.AddDays(61), days).Succeeded);
        Assert.True(c.RetaliationFlagged);
        Assert.Equal(90, c.DueCheckIn(T0.AddDays(400), days));
    }
}
