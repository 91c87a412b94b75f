using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Factors;
using Serverless2FA.Core.Results;
using Serverless2FA.UnitTests.Expiry;
using M = Serverless2FA.Core.Enrollments.EnrollmentMove;
using S = Serverless2FA.Core.Enrollments.EnrollmentStatus;

namespace Serverless2FA.UnitTests.Enrollments;

/// <summary>
/// Every status × every move of the enrollment, against the legal moves written out here (not read back from the
/// rules): a legal move lands where this table says, an illegal one is a Failure and changes nothing.
/// </summary>
public sealed class EnrollmentMovesTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The legal moves, as the product describes the enrollment; everything else must be refused.</summary>
    private static readonly Dictionary<(S, M), S> Legal = new()
    {
        [(S.LinkSent, M.Open)] = S.Opened,
        [(S.AwaitingText, M.Join)] = S.Opened,
        [(S.LinkSent, M.ChooseMethod)] = S.LinkSent,
        [(S.Opened, M.ChooseMethod)] = S.Opened,
        [(S.LinkSent, M.WrongCode)] = S.LinkSent,
        [(S.Opened, M.WrongCode)] = S.Opened,
        [(S.LinkSent, M.Verify)] = S.Verified,
        [(S.Opened, M.Verify)] = S.Verified,
        [(S.LinkSent, M.ReissueLink)] = S.LinkSent,
        [(S.Opened, M.ReissueLink)] = S.LinkSent,
        [(S.Verified, M.Complete)] = S.Completed,
        [(S.LinkSent, M.Cancel)] = S.Cancelled,
        [(S.AwaitingText, M.Cancel)] = S.Cancelled,
        [(S.Opened, M.Cancel)] = S.Cancelled,
        [(S.Verified, M.Cancel)] = S.Cancelled,
        [(S.LinkSent, M.Expire)] = S.Expired,
        [(S.AwaitingText, M.Expire)] = S.Expired,
        [(S.Opened, M.Expire)] = S.Expired,
        [(S.Verified, M.Expire)] = S.Expired,
        [(S.Failed, M.Expire)] = S.Failed,
        [(S.Cancelled, M.Expire)] = S.Cancelled,
        [(S.LinkSent, M.FailDelivery)] = S.Failed,
        [(S.LinkSent, M.Note)] = S.LinkSent,
        [(S.AwaitingText, M.Note)] = S.AwaitingText,
        [(S.Opened, M.Note)] = S.Opened,
        [(S.Verified, M.Note)] = S.Verified,
    };

    public static TheoryData<S, M> EveryStatusAndMove()
    {
        var data = new TheoryData<S, M>();
        foreach (var status in Enum.GetValues<S>())
        {
            foreach (var move in Enum.GetValues<M>())
            {
                data.Add(status, move);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStatusAndMove))]
    public void Move_FromEachStatus_LandsWhereTheTableSays_OrIsRefusedAndChangesNothing(S status, M move)
    {
        var e = EnrollmentExpiryDecisionTests.Stored(status, Now);
        var before = e.ToRecord();

        var refused = Apply(e, move);

        if (Legal.TryGetValue((status, move), out var next))
        {
            Assert.Null(refused);
            Assert.Equal(next, e.Status);
            Assert.Equal(next, EnrollmentRules.Next(status, move));
        }
        else
        {
            Assert.NotNull(refused);
            Assert.Equal(before, e.ToRecord());
            Assert.Null(EnrollmentRules.Next(status, move));
            // Over is over; otherwise the step just does not fit here.
            Assert.Equal(status.IsFinal() ? FailureKind.Gone : FailureKind.Conflict, refused.Kind);
        }
    }

    [Theory]
    [InlineData(M.Complete)]
    [InlineData(M.Cancel)]
    [InlineData(M.Expire)]
    public void EveryEndingMove_DestroysTheSecrets_ButKeepsTheMaskedPhone(M move)
    {
        var e = EnrollmentExpiryDecisionTests.Stored(S.Verified, Now);

        Assert.Null(Apply(e, move));

        Assert.False(e.HasSecrets);
        Assert.All(new object?[] { e.SeedCipher, e.SmsCode, e.EmergencyCodes, e.SessionHash, e.PhoneCipher }, Assert.Null);
        Assert.Equal("+1 ••• ••• 0123", e.PhoneMasked);
    }

    [Fact]
    public void Verified_RefusesAnotherCode_AsAlreadyVerified()
    {
        var e = EnrollmentExpiryDecisionTests.Stored(S.Verified, Now.AddMinutes(5));

        Assert.Contains("already verified", e.RefuseCode(5)!.Detail, StringComparison.Ordinal);
        Assert.Contains("already verified", e.ChooseAuthenticator("seed")!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongCodes_CountUpToTheLimit_ThenLock_AndALockedSetupTakesNoCode()
    {
        var e = EnrollmentExpiryDecisionTests.Stored(S.Opened, Now.AddMinutes(5));

        Assert.Equal([2, 1], new[] { e.WrongCode(3)!.AttemptsLeft!.Value, e.WrongCode(3)!.AttemptsLeft!.Value });
        Assert.Equal(FailureKind.Locked, e.WrongCode(3)!.Kind);
        Assert.Equal(3, e.Attempts);
        Assert.Equal(FailureKind.Locked, e.RefuseCode(3)!.Kind);
        Assert.Equal(FailureKind.Locked, e.ChooseTexts(new StoredTextedCode("s", "h", Now), Now, 3, TimeSpan.Zero)!.Kind);
    }

    [Fact]
    public void AFixedPolicy_RefusesAnother_AsPolicyFixed_AndAcceptsItself()
    {
        var e = Enrollment.StartWithLink("u1", "enr_1", Now, Now.AddMinutes(15), "phone", "+1 ••• ••• 0123", "pk", null, Policies.EveryLogin);
        var free = Enrollment.StartWithLink("u1", "enr_2", Now, Now.AddMinutes(15), "phone", "+1 ••• ••• 0123", "pk", null, null);

        var refused = e.RefusePolicy(Policies.OncePerComputer);

        Assert.Equal((FailureKind.Conflict, "policy-fixed"), (refused!.Kind, refused.Code));
        Assert.Null(e.RefusePolicy(Policies.EveryLogin));
        Assert.Null(free.RefusePolicy(Policies.OncePerComputer));
    }

    [Fact]
    public void Admit_NamesTheFactorItReplaces_OnlyBeforeItsFirstSave()
    {
        var e = Enrollment.StartByText("u1", "enr_1", Now, Now.AddMinutes(15), null, null);
        e.Admit("enr_old");

        Assert.Equal("enr_old", e.Replaces);
        Assert.Throws<InvalidOperationException>(() => EnrollmentExpiryDecisionTests.Stored(S.Opened, Now.AddMinutes(5)).Admit(null));
    }

    [Fact]
    public void ChooseTexts_WithinTheCooldown_IsRateLimited_UntilItPasses()
    {
        var e = EnrollmentExpiryDecisionTests.Stored(S.Opened, Now.AddMinutes(5));
        var code = new StoredTextedCode("s2", "h2", Now.AddMinutes(10));

        var early = e.ChooseTexts(code, e.SmsCodeSentAt!.Value.AddSeconds(10), 5, TimeSpan.FromSeconds(30));

        Assert.Equal((FailureKind.RateLimited, TimeSpan.FromSeconds(20)), (early!.Kind, early.RetryAfter!.Value));
        Assert.Null(e.ChooseTexts(code, e.SmsCodeSentAt!.Value.AddSeconds(30), 5, TimeSpan.FromSeconds(30)));
        Assert.Equal((Methods.Sms, code, (string?)null), (e.Method, e.SmsCode, e.SeedCipher));
    }

    [Fact]
    public void WithdrawCode_TakesBackOnlyTheLiveCode()
    {
        var e = EnrollmentExpiryDecisionTests.Stored(S.Opened, Now.AddMinutes(5));

        Assert.False(e.WithdrawCode("another"));
        Assert.NotNull(e.SmsCode);
        Assert.True(e.WithdrawCode("hash"));
        Assert.Equal((null, null), (e.SmsCode, e.SmsCodeSentAt));
    }

    [Fact]
    public void RecordStep_OfTheSameStep_ChangesNothing()
    {
        var e = EnrollmentExpiryDecisionTests.Stored(S.Opened, Now.AddMinutes(5));

        Assert.True(e.RecordStep("AwaitingSmsCode"));
        Assert.False(e.RecordStep("AwaitingSmsCode"));
        Assert.Equal("AwaitingSmsCode", e.Conversation);
    }

    [Fact]
    public void Expire_BeforeItsTime_IsRefused()
    {
        var e = EnrollmentExpiryDecisionTests.Stored(S.Opened, Now.AddTicks(1));

        Assert.NotNull(e.Expire(Now));
        Assert.Equal(S.Opened, e.Status);
        Assert.True(e.HasSecrets);
    }

    [Theory]
    [InlineData(S.LinkSent, "link-sent")]
    [InlineData(S.AwaitingText, "awaiting-text")]
    [InlineData(S.Opened, "opened")]
    [InlineData(S.Verified, "verified")]
    [InlineData(S.Completed, "completed")]
    [InlineData(S.Expired, "expired")]
    [InlineData(S.Failed, "failed")]
    [InlineData(S.Cancelled, "cancelled")]
    public void Status_OnTheWire_IsTheFixedWord(S status, string wire)
    {
        Assert.Equal(wire, status.ToWire());
        Assert.Equal(status, EnrollmentStatuses.FromWire(wire));
    }

    /// <summary>Each move through the aggregate's own method, with plausible arguments; null when it was allowed.</summary>
    private static Failure? Apply(Enrollment e, M move) => move switch
    {
        M.Open => e.Open("new-session", Now.AddMinutes(30)),
        M.Join => e.Join("phone2", "+1 ••• ••• 0456", "pk2", "en", "ChoosingMethod", Now.AddMinutes(30)),
        M.ChooseMethod => e.ChooseAuthenticator("seed2"),
        // A counted wrong code answers "wrong" (or "locked"); anything else is the refusal.
        M.WrongCode => e.WrongCode(5) is { Kind: not (FailureKind.WrongCode or FailureKind.Locked) } refused ? refused : null,
        M.Verify => e.Verify([new StoredEmergencyCode("s2", "h2")], 42),
        M.ReissueLink => e.ReissueLink("AwaitingAppCode"),
        M.Complete => e.Complete(),
        M.Cancel => e.Cancel(),
        M.Expire => e.Expire(Now),
        M.FailDelivery => e.FailDelivery(),
        M.Note => e.RecordDelivery("undelivered", 30003, "SM1"),
        _ => throw new ArgumentOutOfRangeException(nameof(move)),
    };
}
