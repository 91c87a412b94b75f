using Microsoft.Extensions.Time.Testing;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms.Budgets;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.UnitTests.Sms;

/// <summary>The pumping guard's judgement of one block over time, on a fake clock.</summary>
public sealed class PumpingGuardTests
{
    private static readonly SmsOptions Options = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero));
    private readonly PumpingEntity _block = new();

    [Fact]
    public void Block_IsTheNumberLessItsLastThreeDigits()
        => Assert.Equal("+12015550", PumpingGuard.Block("+12015550123"));

    [Fact]
    public void Block_UnderMinSends_IsNotSuspected_HoweverFewComplete()
    {
        Send(Options.PumpingMinSends - 1);

        Assert.Null(PumpingGuard.Suspicion(_block, Options, _time.GetUtcNow()));
    }

    [Fact]
    public void Block_AtMinSends_WithFewCompletions_IsSuspected_UntilItsTextsLeaveTheWindow()
    {
        Send(Options.PumpingMinSends);
        _time.Advance(TimeSpan.FromHours(3));
        Send(1);

        var refused = PumpingGuard.Suspicion(_block, Options, _time.GetUtcNow());
        Assert.Equal(FailureKind.SuspectedPumping, refused?.Kind);
        Assert.True(refused!.RetryAfter > TimeSpan.FromHours(20));

        // The first twenty leave the 24-hour window; one text is left, under the minimum.
        _time.Advance(refused.RetryAfter!.Value);
        Assert.Null(PumpingGuard.Suspicion(_block, Options, _time.GetUtcNow()));
    }

    [Fact]
    public void Completions_RestoreTheBlock_AtTheMinimumConversion()
    {
        Send(30);
        Complete(2);
        Assert.NotNull(PumpingGuard.Suspicion(_block, Options, _time.GetUtcNow()));

        Complete(1);

        Assert.Null(PumpingGuard.Suspicion(_block, Options, _time.GetUtcNow()));
    }

    [Fact]
    public void Buckets_StayFewHoweverManyTexts_AndDropWhatLeftTheWindow()
    {
        for (var i = 0; i < 500; i++)
        {
            Send(1);
            _time.Advance(TimeSpan.FromMinutes(7));
        }

        var buckets = Buckets.Parse(_block.Sends);
        Assert.InRange(buckets.Items.Count, 1, Buckets.PerWindow + 1);
        Assert.InRange(buckets.Sum(Options.PumpingWindow, _time.GetUtcNow()), (24 * 60 / 7) - 10, (24 * 60 / 7) + 10);
    }

    [Fact]
    public void Buckets_GiveBack_OneText()
    {
        var now = _time.GetUtcNow();
        var two = Buckets.Parse(null).Add(now, 1, Options.PumpingWindow, now).Add(now, 1, Options.PumpingWindow, now);

        var one = two.Add(now, -1, Options.PumpingWindow, now);

        Assert.Equal(1, one.Sum(Options.PumpingWindow, now));
        Assert.Equal(0, one.Add(now, -1, Options.PumpingWindow, now).Sum(Options.PumpingWindow, now));
        Assert.Empty(Buckets.Parse(one.Add(now, -1, Options.PumpingWindow, now).ToString()).Items);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(20000)]
    [InlineData(3)]
    [InlineData(13)]
    public void ShardShares_AddUpToExactlyTheLimit(int limit)
        => Assert.Equal(limit, Enumerable.Range(0, ShardedCounter.Shards).Sum(i => ShardedCounter.Capacity(limit, i)));

    private void Send(int texts)
    {
        for (var i = 0; i < texts; i++)
        {
            var now = _time.GetUtcNow();
            _block.Sends = Buckets.Parse(_block.Sends).Add(now, 1, Options.PumpingWindow, now).ToString();
        }
    }

    private void Complete(int enrollments)
    {
        var now = _time.GetUtcNow();
        for (var i = 0; i < enrollments; i++)
        {
            _block.Completions = Buckets.Parse(_block.Completions).Add(now, 1, Options.PumpingWindow, now).ToString();
        }
    }
}
