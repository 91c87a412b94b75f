using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.UnitTests.Expiry;

public sealed class ExpiryBucketsTests
{
    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2025-06-01T12:00:00.000Z", "202506011200")]
    [InlineData("2025-06-01T12:00:59.999Z", "202506011200")]
    [InlineData("2025-06-01T12:59:59.999Z", "202506011259")]
    [InlineData("2025-06-01T13:00:00.000Z", "202506011300")]
    [InlineData("2025-06-01T23:59:59.999Z", "202506012359")]
    [InlineData("2025-06-02T00:00:00.000Z", "202506020000")]
    [InlineData("2025-12-31T23:59:30.000Z", "202512312359")]
    [InlineData("2026-01-01T00:00:00.000Z", "202601010000")]
    // Another offset is the same instant: buckets are UTC.
    [InlineData("2025-06-02T01:30:10.000+02:00", "202506012330")]
    public void Of_PutsAnInstantInItsUtcMinute(string instant, string bucket)
    {
        Assert.Equal(bucket, ExpiryBuckets.Of(At(instant)));
        Assert.Equal(bucket, ExpiryIndex.Bucket(At(instant)));
    }

    [Theory]
    [InlineData("202506011259", "202506011300")]
    [InlineData("202506012359", "202506020000")]
    [InlineData("202506302359", "202507010000")]
    [InlineData("202402282359", "202402290000")]
    [InlineData("202512312359", "202601010000")]
    public void NextAndPrevious_CrossHourDayMonthAndYearEdges(string bucket, string next)
    {
        Assert.Equal(next, ExpiryBuckets.Next(bucket));
        Assert.Equal(bucket, ExpiryBuckets.Previous(next));
    }

    [Fact]
    public void Start_IsTheFirstInstantOfTheMinute()
    {
        Assert.Equal(At("2026-01-01T00:00:00Z"), ExpiryBuckets.Start("202601010000"));
    }

    [Fact]
    public void BucketKeys_SortAsTheirMinutes()
    {
        var minutes = Enumerable.Range(0, 3 * 24 * 60).Select(m => At("2025-12-30T22:00:00Z").AddMinutes(m * 7)).ToList();
        var keys = minutes.Select(ExpiryBuckets.Of).ToList();

        Assert.Equal(keys, keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    // A minute is settled once it ended at least SettleTime (5 minutes) ago.
    [InlineData("2025-06-01T12:10:30Z", "202506011204")]
    [InlineData("2025-06-01T12:11:00Z", "202506011205")]
    [InlineData("2025-06-02T00:03:00Z", "202506012357")]
    public void SettledThrough_IsTheLastMinuteThatEndedSettleTimeAgo(string now, string settled)
    {
        Assert.Equal(settled, ExpiryBuckets.SettledThrough(At(now)));
        Assert.True(ExpiryBuckets.Start(settled).AddMinutes(1) <= At(now) - ExpiryBuckets.SettleTime);
        Assert.True(ExpiryBuckets.Start(ExpiryBuckets.Next(settled)).AddMinutes(1) > At(now) - ExpiryBuckets.SettleTime);
    }

    [Fact]
    public void SweepAfter_WithoutACursor_StartsMaxLookBackAgo()
    {
        var now = At("2025-06-08T09:15:00Z");

        Assert.Equal("202506010915", ExpiryBuckets.SweepAfter(null, now, TimeSpan.FromDays(7)));
        Assert.Equal("202506080900", ExpiryBuckets.SweepAfter("202506080900", now, TimeSpan.FromDays(7)));
    }

    [Theory]
    [InlineData("202503312350", "202503312359", new[] { "20250331" })]
    [InlineData("202503312359", "202504010010", new[] { "20250401" })]
    [InlineData("202503312358", "202504010010", new[] { "20250331", "20250401" })]
    [InlineData("202412302300", "202501010000", new[] { "20241230", "20241231", "20250101" })]
    [InlineData("202503312359", "202503312359", new string[0])]
    [InlineData("202504010000", "202503312359", new string[0])]
    public void Days_AreTheDaysOfTheBucketsAfterThroughInOrder(string after, string through, string[] days)
    {
        Assert.Equal(days, ExpiryBuckets.Days(after, through));
    }

    [Theory]
    // The day's last minute (23:59) ends at 00:00 and is settled 5 minutes later.
    [InlineData("202503311200", "2025-04-01T00:04:59Z", false)]
    [InlineData("202503311200", "2025-04-01T00:05:00Z", true)]
    [InlineData("202503312359", "2025-04-01T00:05:00Z", true)]
    [InlineData("202504010000", "2025-04-01T00:05:00Z", false)]
    public void DayClosed_OnceItsLastMinuteHasSettled(string bucket, string now, bool closed)
    {
        Assert.Equal(closed, ExpiryBuckets.DayClosed(bucket, At(now)));
    }
}
