using Microsoft.Extensions.Time.Testing;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Verification;

namespace Serverless2FA.UnitTests.Verification;

public sealed class VerificationRulesTests
{
    private static readonly VerificationOptions Options = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(599, false)]
    [InlineData(600, true)]
    [InlineData(601, true)]
    public void Code_ExpiresAtTenMinutes_WithoutAnySweep(int secondsLater, bool expired)
    {
        var verification = new VerificationEntity { Status = VerificationStatus.Pending, ExpiresAt = _time.GetUtcNow() + Options.CodeTtl };

        _time.Advance(TimeSpan.FromSeconds(secondsLater));

        Assert.Equal(expired, VerificationRules.IsExpired(verification, _time.GetUtcNow()));
    }

    [Fact]
    public void Verification_MarkedExpiredBySweep_IsExpiredWhateverItsTime()
        => Assert.True(VerificationRules.IsExpired(new VerificationEntity { Status = VerificationStatus.Expired, ExpiresAt = _time.GetUtcNow().AddHours(1) }, _time.GetUtcNow()));

    [Fact]
    public void Resend_WaitsOutTheCooldown()
    {
        var profile = new UserProfileEntity { LastCodeSentAt = _time.GetUtcNow(), SmsVerificationId = "ver_pending" };

        Assert.Equal(TimeSpan.FromSeconds(30), VerificationRules.CooldownLeft(profile, _time.GetUtcNow(), Options));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(TimeSpan.FromSeconds(1), VerificationRules.CooldownLeft(profile, _time.GetUtcNow(), Options));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, VerificationRules.CooldownLeft(profile, _time.GetUtcNow(), Options));
        Assert.Equal(TimeSpan.Zero, VerificationRules.CooldownLeft(new UserProfileEntity(), _time.GetUtcNow(), Options));
    }

    [Fact]
    public void NoCooldown_OnceTheTextedCodeIsSettled_OrExpired()
    {
        var approved = new UserProfileEntity { LastCodeSentAt = _time.GetUtcNow(), SmsVerificationId = null };
        var shortLived = new VerificationOptions { CodeTtl = TimeSpan.FromSeconds(10), ResendCooldown = TimeSpan.FromSeconds(30) };
        var pending = new UserProfileEntity { LastCodeSentAt = _time.GetUtcNow(), SmsVerificationId = "ver_pending" };

        Assert.Equal(TimeSpan.Zero, VerificationRules.CooldownLeft(approved, _time.GetUtcNow(), Options));
        Assert.Equal("ver_pending", VerificationRules.PendingCode(pending, _time.GetUtcNow(), shortLived));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(VerificationRules.PendingCode(pending, _time.GetUtcNow(), shortLived));
        Assert.Equal(TimeSpan.Zero, VerificationRules.CooldownLeft(pending, _time.GetUtcNow(), shortLived));
    }
}
