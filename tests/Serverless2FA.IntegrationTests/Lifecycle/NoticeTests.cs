using System.Net;
using Serverless2FA.Core.Sms;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Lifecycle;

/// <summary>
/// Security notices: each texts the enrolled phone once, in one segment and the enrollment's language; one that
/// cannot be sent is audited as notice-skipped and never fails what it reports.
/// </summary>
[Collection(LifecycleCollection.Name)]
public sealed class NoticeTests(LifecycleFixture fixture)
{
    [Fact]
    public async Task TurningTwoFactorOff_TextsTheEnrolledPhoneOnce()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var before = fixture.Twilio.MessagesTo(user.Phone).Count;

        using var disabled = await user.Client.DeleteAsync($"/api/users/{user.UserId}/two-factor");

        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        var notice = Assert.Single(fixture.Twilio.MessagesTo(user.Phone).Skip(before));
        AssertOneSegment(notice.Body, "turned off");
    }

    [Fact]
    public async Task AnEmergencyCodeUsed_TextsHowManyAreLeft()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var before = fixture.Twilio.MessagesTo(user.Phone).Count;
        var verificationId = await user.StartVerificationAsync();

        using var approved = await user.CheckAsync(verificationId, user.EmergencyCodes[0]);

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var notice = Assert.Single(fixture.Twilio.MessagesTo(user.Phone).Skip(before));
        AssertOneSegment(notice.Body, "emergency code was used");
        Assert.Contains("4 left", notice.Body);
    }

    [Fact]
    public async Task RenewedEmergencyCodes_AreTold()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var before = fixture.Twilio.MessagesTo(user.Phone).Count;

        using var renewed = await user.Client.PostAsync($"/api/users/{user.UserId}/two-factor/emergency-codes", null);

        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        AssertOneSegment(Assert.Single(fixture.Twilio.MessagesTo(user.Phone).Skip(before)).Body, "new emergency codes");
    }

    [Fact]
    public async Task AHardLock_IsToldOnce_NotOnEveryRefusalAfter()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var before = fixture.Twilio.MessagesTo(user.Phone).Count;
        var verificationId = await user.StartVerificationAsync();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await user.CheckAsync(verificationId, user.WrongCode());
        }

        using var refused = await user.CheckAsync(verificationId, user.WrongCode());

        Assert.Equal(HttpStatusCode.Locked, refused.StatusCode);
        AssertOneSegment(Assert.Single(fixture.Twilio.MessagesTo(user.Phone).Skip(before)).Body, "locked");
    }

    [Fact]
    public async Task ANotice_ToAnOptedOutNumber_IsSkippedAndAudited_WhileTheChangeSucceeds()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        fixture.Twilio.Reject(user.Phone, 21610);

        using var renewed = await user.Client.PostAsync($"/api/users/{user.UserId}/two-factor/emergency-codes", null);
        using var disabled = await user.Client.DeleteAsync($"/api/users/{user.UserId}/two-factor");

        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        var audit = await Lifecycle.AuditAsync(user);
        Assert.Contains(("notice-skipped", "emergency-codes-renewed: opted-out"), audit);
        Assert.Contains(("notice-skipped", "disabled: opted-out"), audit);
        Assert.Contains(audit, e => e.Event == "disabled");
        Assert.False((await user.StatusAsync()).GetProperty("enrolled").GetBoolean());
    }

    [Fact]
    public async Task ANotice_IsInTheEnrollmentsLanguage()
    {
        var driver = new SetupDriver(fixture);
        var userId = SetupDriver.NewUserId();
        var phone = SetupDriver.NewPhone();
        using (var started = await driver.StartAsync(new { userId, phone, locale = "es-MX" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        using (var completed = await Lifecycle.FinishBySmsAsync(driver, phone))
        {
            Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        }

        using var disabled = await driver.Client.DeleteAsync($"/api/users/{userId}/two-factor");

        AssertOneSegment(fixture.Twilio.MessagesTo(phone)[^1].Body, "se desactivo");
    }

    private static void AssertOneSegment(string body, string says)
    {
        Assert.Contains(says, body);
        Assert.Equal(1, GsmSegments.Count(body));
        Assert.DoesNotMatch(@"\+?\d{7,}", body);
    }
}
