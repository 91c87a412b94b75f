using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Factors;

namespace Serverless2FA.UnitTests.Expiry;

public sealed class EnrollmentExpiryDecisionTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>An enrollment as stored in <paramref name="status"/>, holding every kind of secret.</summary>
    internal static Enrollment Stored(EnrollmentStatus status, DateTimeOffset expiresAt) => Enrollment.FromRecord(new EnrollmentRecord(
        "u1", "enr_1", status, expiresAt.AddMinutes(-30), expiresAt,
        PhoneCipher: "phone", PhoneMasked: "+1 ••• ••• 0123", PhoneKey: "pk", Locale: null, RequestedPolicy: null,
        SessionHash: "session", Conversation: null, Method: Methods.Sms, SeedCipher: "seed", LastTotpStep: 0,
        SmsCode: new StoredTextedCode("salt", "hash", expiresAt), SmsCodeSentAt: expiresAt.AddMinutes(-1), Attempts: 0,
        EmergencyCodes: [new StoredEmergencyCode("s", "h")], DeliveryStatus: null, DeliveryErrorCode: null, LastMessageSid: null, Replaces: null, Version: "W/\"1\""));

    [Theory]
    [InlineData(EnrollmentStatus.LinkSent)]
    [InlineData(EnrollmentStatus.AwaitingText)]
    [InlineData(EnrollmentStatus.Opened)]
    [InlineData(EnrollmentStatus.Verified)]
    public void Unfinished_DueExactlyNow_IsExpired_AndItsSecretsDestroyed(EnrollmentStatus status)
    {
        var e = Stored(status, Now);

        var decision = EnrollmentExpiryHandler.Decide(e, Now);

        Assert.Equal(ExpiryOutcome.Expired, decision.Answer.Value);
        Assert.NotNull(decision.Changes);
        Assert.Equal(EnrollmentStatus.Expired, e.Status);
        Assert.False(e.HasSecrets);
        Assert.All(new object?[] { e.SeedCipher, e.SmsCode, e.EmergencyCodes, e.SessionHash, e.PhoneCipher }, Assert.Null);
        Assert.Equal("+1 ••• ••• 0123", e.PhoneMasked);
    }

    [Fact]
    public void Unfinished_WhoseTimeWasExtended_IsNotTouched()
    {
        var e = Stored(EnrollmentStatus.Opened, Now.AddTicks(1));

        var decision = EnrollmentExpiryHandler.Decide(e, Now);

        Assert.Equal((ExpiryOutcome.NotDue, null), (decision.Answer.Value, decision.Changes));
        Assert.Equal(EnrollmentStatus.Opened, e.Status);
        Assert.NotNull(e.SeedCipher);
    }

    [Theory]
    [InlineData(EnrollmentStatus.Completed)]
    [InlineData(EnrollmentStatus.Expired)]
    public void Finished_IsNotTouched(EnrollmentStatus status)
    {
        var e = Stored(status, Now.AddMinutes(-1));

        var decision = EnrollmentExpiryHandler.Decide(e, Now);

        Assert.Equal((ExpiryOutcome.Gone, null), (decision.Answer.Value, decision.Changes));
        Assert.Equal(status, e.Status);
    }

    [Theory]
    [InlineData(EnrollmentStatus.Failed)]
    [InlineData(EnrollmentStatus.Cancelled)]
    public void FailedOrCancelled_KeepsItsStatus_ButLosesItsSecrets_Once(EnrollmentStatus status)
    {
        var e = Stored(status, Now.AddMinutes(-1));

        var first = EnrollmentExpiryHandler.Decide(e, Now);

        Assert.Equal(ExpiryOutcome.Gone, first.Answer.Value);
        Assert.NotNull(first.Changes);
        Assert.Equal(status, e.Status);
        Assert.Null(e.PhoneCipher);
        // Nothing left to destroy: the next run writes nothing.
        Assert.Null(EnrollmentExpiryHandler.Decide(e, Now).Changes);
    }

    [Fact]
    public void Gone_IsGone()
        => Assert.Equal((ExpiryOutcome.Gone, null), (EnrollmentExpiryHandler.Decide(null, Now).Answer.Value, EnrollmentExpiryHandler.Decide(null, Now).Changes));
}
