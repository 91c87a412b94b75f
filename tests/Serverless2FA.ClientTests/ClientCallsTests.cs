using Serverless2FA.Client;
using Serverless2FA.ClientTests.Infrastructure;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.ClientTests;

/// <summary>Every client method against the real service, and every outcome it answers as a value.</summary>
[Collection(ClientCollection.Name)]
public sealed class ClientCallsTests(ClientFixture fixture)
{
    private IServerless2FAClient Service => fixture.Service;

    [Fact]
    public async Task StartEnrollment_WithAPhone_IsLinkSent_AndTheLinkIsTexted()
    {
        var phone = SetupDriver.NewPhone();

        var started = await Service.StartEnrollmentAsync(new StartEnrollmentRequest(SetupDriver.NewUserId()) { Phone = phone, Policy = TwoFactorPolicy.OncePerComputer });

        var sent = Assert.IsType<EnrollmentStart.LinkSent>(started);
        Assert.StartsWith("enr_", sent.EnrollmentId, StringComparison.Ordinal);
        Assert.True(sent.ExpiresAt > fixture.Clock.GetUtcNow());
        Assert.Contains("/s/", fixture.Twilio.MessagesTo(phone).Single().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartEnrollment_WithoutAPhone_IsAwaitingText_WithTheJoinCode()
    {
        var started = await Service.StartEnrollmentAsync(new StartEnrollmentRequest(SetupDriver.NewUserId()) { Locale = "es-MX" });

        var awaiting = Assert.IsType<EnrollmentStart.AwaitingText>(started);
        Assert.Equal(ServiceFixture.FromNumber, awaiting.SmsNumber);
        Assert.Equal(8, awaiting.JoinCode.Length);
    }

    [Fact]
    public async Task StartEnrollment_WithABadPhone_ThrowsTheProblem_WithItsFields()
    {
        var error = await Assert.ThrowsAsync<Serverless2FAProblemException>(
            () => Service.StartEnrollmentAsync(new StartEnrollmentRequest(SetupDriver.NewUserId()) { Phone = "12" }));

        Assert.Equal(400, error.Status);
        Assert.Equal("urn:serverless2fa:problem:invalid", error.Type);
        Assert.Equal(ProblemCodes.Invalid, error.Code);
        Assert.False(string.IsNullOrEmpty(error.Title));
        Assert.False(string.IsNullOrEmpty(error.Detail));
        Assert.NotEmpty(error.Errors["phone"]);
    }

    [Fact]
    public async Task AnInvalidUserId_ThrowsTheProblem_NamingUserId()
    {
        var error = await Assert.ThrowsAsync<Serverless2FAProblemException>(() => Service.GetTwoFactorStatusAsync("no spaces"));

        Assert.Equal(400, error.Status);
        Assert.True(error.Errors.ContainsKey("userId"));
    }

    [Fact]
    public async Task LogIn_WithAnAuthenticator_IsRequired_Denied_Approved_ThenExpiredForEver()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");

        var start = Assert.IsType<VerificationStart.Required>(await Service.StartVerificationAsync(user.UserId));
        Assert.Equal(TwoFactorMethod.Authenticator, start.Method);
        var denied = await Service.CheckVerificationAsync(start.VerificationId, user.UserId, Codes.Wrong(user, fixture.Clock));
        var approved = await Service.CheckVerificationAsync(start.VerificationId, user.UserId, user.TotpCode());
        var again = await Service.CheckVerificationAsync(start.VerificationId, user.UserId, user.TotpCode(2));

        Assert.Equal(4, Assert.IsType<VerificationCheck.Denied>(denied).AttemptsLeft);
        var yes = Assert.IsType<VerificationCheck.Approved>(approved);
        Assert.Equal(user.UserId, yes.UserId);
        Assert.Equal(start.VerificationId, yes.VerificationId);
        Assert.False(yes.UsedEmergencyCode);
        Assert.Null(yes.DeviceToken);
        Assert.Equal(410, Assert.IsType<VerificationCheck.Expired>(again).Problem.Status);
    }

    [Fact]
    public async Task LogIn_BySms_TextsTheCode_AndASecondStartAtOnce_IsCodeNotSent()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");

        var start = Assert.IsType<VerificationStart.Required>(await Service.StartVerificationAsync(user.UserId));
        var second = await Service.StartVerificationAsync(user.UserId);
        var approved = await Service.CheckVerificationAsync(start.VerificationId, user.UserId, user.LastTextedCode());

        Assert.Equal(TwoFactorMethod.Sms, start.Method);
        var notSent = Assert.IsType<VerificationStart.CodeNotSent>(second);
        Assert.Equal(429, notSent.Problem.Status);
        Assert.InRange(notSent.Problem.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.IsType<VerificationCheck.Approved>(approved);
    }

    [Fact]
    public async Task LogIn_BySms_ASecondStartWithinTheCooldown_NamesThePendingVerification()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        var start = Assert.IsType<VerificationStart.Required>(await Service.StartVerificationAsync(user.UserId));

        var notSent = Assert.IsType<VerificationStart.CodeNotSent>(await Service.StartVerificationAsync(user.UserId));

        Assert.Equal(start.VerificationId, notSent.VerificationId);
        Assert.Equal(start.ExpiresAt, notSent.ExpiresAt);
        Assert.IsType<VerificationCheck.Approved>(await Service.CheckVerificationAsync(notSent.VerificationId!, user.UserId, user.LastTextedCode()));
    }

    [Fact]
    public async Task OncePerComputer_RememberDevice_GivesADeviceToken_ThatMakesTheNextStartNotRequired_UntilForgotten()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator", "once-per-computer");
        var start = Assert.IsType<VerificationStart.Required>(await Service.StartVerificationAsync(user.UserId));

        var approved = Assert.IsType<VerificationCheck.Approved>(await Service.CheckVerificationAsync(start.VerificationId, user.UserId, user.TotpCode(), rememberDevice: true));
        var remembered = await Service.StartVerificationAsync(user.UserId, approved.DeviceToken);
        var status = await Service.GetTwoFactorStatusAsync(user.UserId);
        await Service.ForgetDevicesAsync(user.UserId);
        var forgotten = await Service.StartVerificationAsync(user.UserId, approved.DeviceToken);

        Assert.NotNull(approved.DeviceToken);
        Assert.IsType<VerificationStart.NotRequired>(remembered);
        Assert.Equal(1, status.RememberedDevices);
        Assert.IsType<VerificationStart.Required>(forgotten);
    }

    [Fact]
    public async Task EmergencyCode_IsApproved_OnceAndCounted()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var first = (VerificationStart.Required)await Service.StartVerificationAsync(user.UserId);
        var second = (VerificationStart.Required)await Service.StartVerificationAsync(user.UserId);

        var used = await Service.CheckVerificationAsync(first.VerificationId, user.UserId, user.EmergencyCodes[0]);
        var reused = await Service.CheckVerificationAsync(second.VerificationId, user.UserId, user.EmergencyCodes[0]);

        var approved = Assert.IsType<VerificationCheck.Approved>(used);
        Assert.True(approved.UsedEmergencyCode);
        Assert.Equal(4, approved.EmergencyCodesLeft);
        Assert.IsType<VerificationCheck.Denied>(reused);
    }

    [Fact]
    public async Task Check_OfSomethingThatIsNoCode_IsInvalidCode_AndCountsNothing()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var start = (VerificationStart.Required)await Service.StartVerificationAsync(user.UserId);

        var invalid = await Service.CheckVerificationAsync(start.VerificationId, user.UserId, "?");
        var denied = await Service.CheckVerificationAsync(start.VerificationId, user.UserId, Codes.Wrong(user, fixture.Clock));

        Assert.Contains("code", Assert.IsType<VerificationCheck.InvalidCode>(invalid).Problem.Errors.Keys);
        Assert.Equal(4, Assert.IsType<VerificationCheck.Denied>(denied).AttemptsLeft);
    }

    [Fact]
    public async Task Check_OfAnUnknownVerification_IsNotFound()
    {
        var check = await Service.CheckVerificationAsync("ver_doesnotexist00000000", SetupDriver.NewUserId(), "123456");

        Assert.Equal(404, Assert.IsType<VerificationCheck.NotFound>(check).Problem.Status);
    }

    [Fact]
    public async Task Check_WithAnotherUsersId_IsNotFound_AndCountsNothing()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var start = (VerificationStart.Required)await Service.StartVerificationAsync(user.UserId);

        var other = await Service.CheckVerificationAsync(start.VerificationId, SetupDriver.NewUserId(), Codes.Wrong(user, fixture.Clock));
        var denied = await Service.CheckVerificationAsync(start.VerificationId, user.UserId, Codes.Wrong(user, fixture.Clock));

        Assert.IsType<VerificationCheck.NotFound>(other);
        Assert.Equal(4, Assert.IsType<VerificationCheck.Denied>(denied).AttemptsLeft);
    }

    [Fact]
    public async Task FiveWrongCodes_AreLocked_WithRetryAfter_UntilTheLockIsReset()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var start = (VerificationStart.Required)await Service.StartVerificationAsync(user.UserId);
        var answers = new List<VerificationCheck>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await Service.CheckVerificationAsync(start.VerificationId, user.UserId, Codes.Wrong(user, fixture.Clock)));
        }

        var lockedStart = await Service.StartVerificationAsync(user.UserId);
        await Service.ResetTwoFactorLockAsync(user.UserId);
        var afterReset = await Service.StartVerificationAsync(user.UserId);

        Assert.Equal([4, 3, 2, 1], answers.Take(4).Select(a => Assert.IsType<VerificationCheck.Denied>(a).AttemptsLeft));
        var locked = Assert.IsType<VerificationCheck.Locked>(answers[4]);
        Assert.InRange(locked.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15));
        Assert.Equal(ProblemCodes.Locked, locked.Problem.Code);
        Assert.IsType<VerificationStart.Locked>(lockedStart);
        Assert.IsType<VerificationStart.Required>(afterReset);
        Assert.Contains(await Service.GetTwoFactorAuditAsync(user.UserId), e => e.Event == "lock-reset");
    }

    [Fact]
    public async Task Check_AfterTheCodeTtl_IsExpired()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var start = (VerificationStart.Required)await Service.StartVerificationAsync(user.UserId);

        fixture.Clock.Advance(TimeSpan.FromMinutes(11));
        var check = await Service.CheckVerificationAsync(start.VerificationId, user.UserId, user.TotpCode());

        Assert.IsType<VerificationCheck.Expired>(check);
    }

    [Fact]
    public async Task StartVerification_ForAUserNotEnrolled_IsNotEnrolled()
    {
        Assert.IsType<VerificationStart.NotEnrolled>(await Service.StartVerificationAsync(SetupDriver.NewUserId()));
    }

    [Fact]
    public async Task Management_Status_Audit_NewCodes_Disable()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms", "once-per-computer");

        var status = await Service.GetTwoFactorStatusAsync(user.UserId);
        var codes = await Service.RenewEmergencyCodesAsync(user.UserId);
        var start = (VerificationStart.Required)await Service.StartVerificationAsync(user.UserId);
        var old = await Service.CheckVerificationAsync(start.VerificationId, user.UserId, user.EmergencyCodes[0]);
        var fresh = await Service.CheckVerificationAsync(start.VerificationId, user.UserId, codes[0]);
        var audit = await Service.GetTwoFactorAuditAsync(user.UserId);
        await Service.DisableTwoFactorAsync(user.UserId);
        var off = await Service.GetTwoFactorStatusAsync(user.UserId);

        Assert.True(status.Enrolled);
        Assert.Equal(TwoFactorMethod.Sms, status.Method);
        Assert.Equal(TwoFactorPolicy.OncePerComputer, status.Policy);
        Assert.StartsWith("+1 ", status.PhoneMasked, StringComparison.Ordinal);
        Assert.DoesNotContain(user.Phone[^7..], status.PhoneMasked, StringComparison.Ordinal);
        Assert.Equal(5, status.EmergencyCodesLeft);
        Assert.Equal(0, status.RememberedDevices);
        Assert.NotNull(status.EnrolledAt);
        Assert.Equal(5, codes.Count);
        Assert.IsType<VerificationCheck.Denied>(old);
        Assert.True(Assert.IsType<VerificationCheck.Approved>(fresh).UsedEmergencyCode);
        Assert.Equal("emergency-code-used", audit[0].Event);
        Assert.Contains(audit, e => e.Event == "emergency-codes-renewed");
        Assert.Contains(audit, e => e.Event == "enrolled" && e.Method == "sms");
        Assert.False(off.Enrolled);
        Assert.Null(off.Method);
    }

    [Fact]
    public async Task Management_OfAUserNotEnrolled_ThrowsNotFound_ExceptWhereTheEndStateIsTheSame()
    {
        var userId = SetupDriver.NewUserId();

        var renew = await Assert.ThrowsAsync<Serverless2FAProblemException>(() => Service.RenewEmergencyCodesAsync(userId));
        var reset = await Assert.ThrowsAsync<Serverless2FAProblemException>(() => Service.ResetTwoFactorLockAsync(userId));
        await Service.DisableTwoFactorAsync(userId);
        await Service.ForgetDevicesAsync(userId);

        Assert.Equal(ProblemCodes.NotFound, renew.Code);
        Assert.Equal(404, reset.Status);
        Assert.False((await Service.GetTwoFactorStatusAsync(userId)).Enrolled);
        Assert.Empty(await Service.GetTwoFactorAuditAsync(userId));
    }

    [Fact]
    public async Task Health_ReportsEachPart()
    {
        var health = await Service.GetHealthAsync();

        Assert.True(health.IsHealthy);
        Assert.Equal("ok", health.Storage);
        Assert.Equal("twilio", health.Sms);
    }
}
