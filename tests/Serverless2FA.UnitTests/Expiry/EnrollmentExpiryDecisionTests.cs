using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.UnitTests.Expiry;

public sealed class EnrollmentExpiryDecisionTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static EnrollmentEntity Pending(string status, DateTimeOffset expiresAt) => new()
    {
        Status = status,
        ExpiresAt = expiresAt,
        PhoneCipher = "phone",
        PhoneMasked = "+1 ••• ••• 0123",
        SeedCipher = "seed",
        SmsCodeHash = "hash",
        SmsCodeSalt = "salt",
        EmergencyCodeHashes = "[\"s:h\"]",
        SessionHash = "session",
    };

    [Theory]
    [InlineData(EnrollmentStatus.LinkSent)]
    [InlineData(EnrollmentStatus.AwaitingText)]
    [InlineData(EnrollmentStatus.Opened)]
    [InlineData(EnrollmentStatus.Verified)]
    public void Unfinished_DueExactlyNow_IsExpired_AndItsSecretsDestroyed(string status)
    {
        var e = Pending(status, Now);

        Assert.Equal(ExpiryOutcome.Expired, EnrollmentExpiryHandler.Decide(e, Now));
        Assert.Equal(EnrollmentStatus.Expired, e.Status);
        Assert.Null(e.SeedCipher);
        Assert.Null(e.SmsCodeHash);
        Assert.Null(e.SmsCodeSalt);
        Assert.Null(e.EmergencyCodeHashes);
        Assert.Null(e.SessionHash);
        Assert.Null(e.PhoneCipher);
        Assert.Equal("+1 ••• ••• 0123", e.PhoneMasked);
    }

    [Fact]
    public void Unfinished_WhoseTimeWasExtended_IsNotTouched()
    {
        var e = Pending(EnrollmentStatus.Opened, Now.AddTicks(1));

        Assert.Null(EnrollmentExpiryHandler.Decide(e, Now));
        Assert.Equal(EnrollmentStatus.Opened, e.Status);
        Assert.NotNull(e.SeedCipher);
    }

    [Theory]
    [InlineData(EnrollmentStatus.Completed)]
    [InlineData(EnrollmentStatus.Expired)]
    public void Finished_IsNotTouched(string status)
    {
        var e = Pending(status, Now.AddMinutes(-1));

        Assert.Null(EnrollmentExpiryHandler.Decide(e, Now));
        Assert.Equal(status, e.Status);
    }

    [Theory]
    [InlineData(EnrollmentStatus.Failed)]
    [InlineData(EnrollmentStatus.Cancelled)]
    public void FailedOrCancelled_KeepsItsStatus_ButLosesItsSecrets(string status)
    {
        var e = Pending(status, Now.AddMinutes(-1));

        Assert.Equal(ExpiryOutcome.Gone, EnrollmentExpiryHandler.Decide(e, Now));
        Assert.Equal(status, e.Status);
        Assert.Null(e.PhoneCipher);
        Assert.Null(EnrollmentExpiryHandler.Decide(e, Now));
    }
}
