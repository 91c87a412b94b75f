using Serverless2FA.Core.Sms;

namespace Serverless2FA.UnitTests.Sms;

public sealed class SlidingHourTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_KeepsOnlyTheLastHour()
    {
        var stored = string.Join(' ', new[] { -3600, -3599, -60 }.Select(s => Now.AddSeconds(s).ToUnixTimeSeconds()));

        var hour = SlidingHour.Parse(stored, Now);

        Assert.Equal([Now.AddSeconds(-3599), Now.AddSeconds(-60)], hour.Times);
    }

    [Fact]
    public void Full_WaitsUntilTheOldestLeavesTheHour()
    {
        var hour = SlidingHour.Parse(null, Now).With(Now.AddMinutes(-50)).With(Now.AddMinutes(-10));

        Assert.Null(hour.WaitUnder(3, Now));
        Assert.Equal(TimeSpan.FromMinutes(10), hour.WaitUnder(2, Now));
    }

    [Fact]
    public void ToString_RoundTrips()
    {
        var hour = SlidingHour.Parse(string.Empty, Now).With(Now.AddMinutes(-1)).With(Now);

        Assert.Equal(hour.Times, SlidingHour.Parse(hour.ToString(), Now).Times);
    }
}
