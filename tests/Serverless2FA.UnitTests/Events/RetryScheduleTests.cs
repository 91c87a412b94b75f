using Serverless2FA.Core.Events;

namespace Serverless2FA.UnitTests.Events;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 30)]
    [InlineData(3, 120)]
    [InlineData(4, 600)]
    [InlineData(5, 3600)]
    [InlineData(6, 3600)]
    [InlineData(30, 3600)]
    public void Standard_WaitsAsApiMdSays_ThenHourly(int attempt, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetrySchedule.Standard.DelayAfter(attempt));
    }

    [Fact]
    public void Standard_OverADay_MakesTheTriesApiMdPromises_AndNoTryAfterRetryFor()
    {
        var retryFor = TimeSpan.FromDays(1);
        var now = Start;
        var tries = new List<DateTimeOffset> { now };
        for (var attempt = 1; RetrySchedule.Standard.NextDelay(attempt, Start, now, retryFor) is { } delay; attempt++)
        {
            now += delay;
            tries.Add(now);
        }

        Assert.Equal(Start + TimeSpan.FromSeconds(5), tries[1]);
        Assert.Equal(Start + TimeSpan.FromSeconds(35), tries[2]);
        Assert.Equal(Start + TimeSpan.FromSeconds(155), tries[3]);
        Assert.Equal(Start + TimeSpan.FromSeconds(755), tries[4]);
        Assert.Equal(Start + TimeSpan.FromSeconds(4355), tries[5]);
        Assert.All(tries, t => Assert.True(t <= Start + retryFor));
        // The last try is within an hour of the end: one more would fall after it.
        Assert.True(tries[^1] + TimeSpan.FromHours(1) > Start + retryFor);
        Assert.Equal(6 + 22, tries.Count);
    }

    [Fact]
    public void NextDelay_IsNull_WhenTheTryWouldFallAfterRetryFor()
    {
        var schedule = new RetrySchedule(TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromSeconds(10), schedule.NextDelay(1, Start, Start + TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1)));
        Assert.Null(schedule.NextDelay(1, Start, Start + TimeSpan.FromSeconds(51), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void EmptyOrNegativeSchedule_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new RetrySchedule());
        Assert.Throws<ArgumentException>(() => new RetrySchedule(TimeSpan.FromSeconds(-1)));
    }
}
