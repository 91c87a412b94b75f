using Microsoft.Extensions.Time.Testing;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Verification;

namespace Serverless2FA.UnitTests.Verification;

public sealed class FactorLockTests
{
    private static readonly VerificationOptions Options = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void WrongCodes_CountDown_AndTheFifthLocksForFifteenMinutes()
    {
        var profile = new UserProfileEntity();
        for (var left = 4; left >= 1; left--)
        {
            Assert.False(FactorLock.RecordFailure(profile, _time.GetUtcNow(), Options));
            Assert.Equal(left, FactorLock.AttemptsLeft(profile, Options));
            Assert.Null(FactorLock.Check(profile, _time.GetUtcNow()));
        }

        Assert.True(FactorLock.RecordFailure(profile, _time.GetUtcNow(), Options));

        var locked = FactorLock.Check(profile, _time.GetUtcNow());
        Assert.Equal(FailureKind.Locked, locked?.Kind);
        Assert.Equal(TimeSpan.FromMinutes(15), locked?.RetryAfter);
    }

    [Fact]
    public void Lockout_EndsAfterItsPeriod_ButTheCountGoesOn()
    {
        var profile = Failed(5);

        _time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.NotNull(FactorLock.Check(profile, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(FactorLock.Check(profile, _time.GetUtcNow()));

        // Consecutive failures keep counting: five more lock again, for twice as long.
        Assert.Equal(5, FactorLock.AttemptsLeft(profile, Options));
        for (var i = 0; i < 5; i++)
        {
            FactorLock.RecordFailure(profile, _time.GetUtcNow(), Options);
        }

        Assert.Equal(TimeSpan.FromMinutes(30), FactorLock.Check(profile, _time.GetUtcNow())?.RetryAfter);
    }

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 30)]
    [InlineData(3, 60)]
    [InlineData(7, 960)]
    [InlineData(8, 1440)]
    [InlineData(19, 1440)]
    public void Lockout_DoublesOnRepeat_UpToADay(int lockout, int minutes)
        => Assert.Equal(TimeSpan.FromMinutes(minutes), FactorLock.LockoutFor(lockout, TimeSpan.FromMinutes(15)));

    [Fact]
    public void AHundredConsecutiveFailures_LockUntilReset()
    {
        var profile = Failed(99);
        Assert.False(profile.HardLocked);

        FactorLock.RecordFailure(profile, _time.GetUtcNow(), Options);
        _time.Advance(TimeSpan.FromDays(365));

        Assert.True(profile.HardLocked);
        Assert.Equal(FailureKind.Locked, FactorLock.Check(profile, _time.GetUtcNow())?.Kind);
        Assert.Null(FactorLock.Check(profile, _time.GetUtcNow())?.RetryAfter);
        FactorLock.Reset(profile);
        Assert.Null(FactorLock.Check(profile, _time.GetUtcNow()));
        Assert.Equal(5, FactorLock.AttemptsLeft(profile, Options));
    }

    [Fact]
    public void Success_ResetsTheConsecutiveCount_ButNotTheTotal()
    {
        var profile = Failed(4);

        FactorLock.RecordSuccess(profile);

        Assert.Equal(0, profile.FailedAttempts);
        Assert.Equal(4, profile.TotalFailures);
        Assert.Equal(5, FactorLock.AttemptsLeft(profile, Options));
    }

    [Fact]
    public void Counters_HoldAcrossVerifications()
    {
        var profile = Failed(3);
        var second = new VerificationEntity { FailuresAtStart = profile.TotalFailures };

        // A new verification does not reset the user's count: two more wrong codes lock the factor.
        Assert.Equal(2, FactorLock.AttemptsLeft(profile, Options));
        Assert.Equal(5, VerificationRules.AttemptsLeft(profile, second, Options));
        FactorLock.RecordFailure(profile, _time.GetUtcNow(), Options);
        Assert.False(FactorLock.Check(profile, _time.GetUtcNow()) is not null);
        Assert.True(FactorLock.RecordFailure(profile, _time.GetUtcNow(), Options));
        Assert.Equal(3, VerificationRules.AttemptsLeft(profile, second, Options));
    }

    [Fact]
    public void VerificationAttempts_CountEveryFailureSinceItStarted_EvenAfterASuccessElsewhere()
    {
        var profile = new UserProfileEntity();
        var verification = new VerificationEntity { FailuresAtStart = 0 };
        for (var i = 0; i < 4; i++)
        {
            FactorLock.RecordFailure(profile, _time.GetUtcNow(), Options);
        }

        FactorLock.RecordSuccess(profile);
        FactorLock.RecordFailure(profile, _time.GetUtcNow(), Options);

        Assert.Equal(0, VerificationRules.AttemptsLeft(profile, verification, Options));
        Assert.Equal(4, FactorLock.AttemptsLeft(profile, Options));
    }

    private UserProfileEntity Failed(int times)
    {
        var profile = new UserProfileEntity();
        for (var i = 0; i < times; i++)
        {
            FactorLock.RecordFailure(profile, _time.GetUtcNow(), Options);
        }

        return profile;
    }
}
