using EthicsPortal.Core.Cases;

namespace EthicsPortal.Core.Tests.Cases;

public class DeadlineTests
{
    private static readonly DeadlineOptions Options = new();
    private static DateTimeOffset Utc(int y, int m, int d, int h = 12) => new(y, m, d, h, 0, 0, TimeSpan.Zero);

    [Fact]
    public void For_NotAcknowledged_AcknowledgeBySevenDaysAndFeedbackThreeMonthsAfterThat()
    {
        var d = CaseDeadlines.For(Utc(2026, 3, 2), null, Options);

        Assert.Equal(Utc(2026, 3, 9), d.AcknowledgeBy);
        Assert.Equal(Utc(2026, 6, 9), d.FeedbackBy);
    }

    [Fact]
    public void For_Acknowledged_FeedbackRunsFromTheAcknowledgement()
    {
        var d = CaseDeadlines.For(Utc(2026, 3, 2), Utc(2026, 3, 4), Options);

        Assert.Equal(Utc(2026, 6, 4), d.FeedbackBy);
    }

    [Theory]
    [InlineData(2026, 11, 30, 2026, 12, 7, 2027, 3, 7)]     // day 7 crosses into December, feedback into the next year
    [InlineData(2027, 11, 23, 2027, 11, 30, 2028, 2, 29)]   // 30 November + 3 months clamps to a leap day
    [InlineData(2026, 11, 23, 2026, 11, 30, 2027, 2, 28)]   // … and to 28 February in a common year
    [InlineData(2028, 2, 22, 2028, 2, 29, 2028, 5, 29)]     // day 7 lands on a leap day
    public void For_MonthEndsAndLeapYears_LandOnTheRightDay(int y, int m, int d, int ay, int am, int ad, int fy, int fm, int fd)
    {
        var due = CaseDeadlines.For(Utc(y, m, d), null, Options);

        Assert.Equal(Utc(ay, am, ad), due.AcknowledgeBy);
        Assert.Equal(Utc(fy, fm, fd), due.FeedbackBy);
    }

    [Fact]
    public void For_AcknowledgedOnAMonthEnd_ClampsToTheLastDayOfTheTargetMonth()
    {
        Assert.Equal(Utc(2027, 2, 28), CaseDeadlines.For(Utc(2026, 11, 20), Utc(2026, 11, 30), Options).FeedbackBy);
        Assert.Equal(Utc(2028, 2, 29), CaseDeadlines.For(Utc(2027, 11, 20), Utc(2027, 11, 30), Options).FeedbackBy);   // leap year
        Assert.Equal(Utc(2026, 4, 30), CaseDeadlines.For(Utc(2026, 1, 25), Utc(2026, 1, 31), Options).FeedbackBy);
    }

    [Fact]
    public void For_Day7Edge_IsExactlySevenDaysToTheMinute()
    {
        var received = new DateTimeOffset(2026, 2, 26, 23, 59, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 3, 5, 23, 59, 0, TimeSpan.Zero), CaseDeadlines.For(received, null, Options).AcknowledgeBy);
    }

    [Fact]
    public void For_ConfiguredPeriods_AreUsed()
    {
        var d = CaseDeadlines.For(Utc(2026, 3, 2), null, new DeadlineOptions { AcknowledgeWithinDays = 3, FeedbackWithinMonths = 1 });

        Assert.Equal(Utc(2026, 3, 5), d.AcknowledgeBy);
        Assert.Equal(Utc(2026, 4, 5), d.FeedbackBy);
    }
}
