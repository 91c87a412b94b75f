using System.Net;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Verification;

/// <summary>Log-in codes through the real Twilio SDK: Twilio's refusals and the send limits.</summary>
[Collection(ServiceCollection.Name)]
public sealed class VerificationTextingTests(ServiceFixture fixture)
{
    [Fact]
    public async Task Twilio429_IsRetried_AndTheCodeArrives()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        var before = fixture.Twilio.MessagesTo(user.Phone).Count;
        fixture.Twilio.FailNext(user.Phone, 429);

        using var started = await user.StartAsync();

        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        Assert.Equal(before + 1, fixture.Twilio.MessagesTo(user.Phone).Count);
    }

    [Fact]
    public async Task Twilio500_ThatPersists_Is503_AndTheRelyingAppMayRetryAtOnce()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        fixture.Twilio.FailNext(user.Phone, 500, times: 3);

        using var failed = await user.StartAsync();
        using var retried = await user.StartAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.NotNull(failed.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var id = (await SetupDriver.JsonAsync(retried)).GetProperty("verificationId").GetString()!;
        using var approved = await user.CheckAsync(id, user.LastTextedCode());
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
    }

    [Theory]
    [InlineData(21610, HttpStatusCode.Conflict, "urn:serverless2fa:problem:opted-out")]
    [InlineData(21211, HttpStatusCode.UnprocessableEntity, "urn:serverless2fa:problem:undeliverable")]
    public async Task TwilioRefusal_IsAClear4xx(int errorCode, HttpStatusCode expected, string type)
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        fixture.Twilio.Reject(user.Phone, errorCode);

        using var refused = await user.StartAsync();

        Assert.Equal(expected, refused.StatusCode);
        var problem = await SetupDriver.JsonAsync(refused);
        Assert.Equal(type, problem.GetProperty("type").GetString());
        Assert.DoesNotContain(user.Phone[2..], problem.GetRawText());
        Assert.True((await user.StatusAsync()).GetProperty("enrolled").GetBoolean());

        // A person who cannot get texts can still sign in with an emergency code, against the named verification.
        var verificationId = problem.GetProperty("verificationId").GetString()!;
        using var rescued = await user.CheckAsync(verificationId, user.EmergencyCodes[0]);
        Assert.Equal(HttpStatusCode.OK, rescued.StatusCode);
        var approved = await SetupDriver.JsonAsync(rescued);
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.True(approved.GetProperty("usedEmergencyCode").GetBoolean());
    }

    [Fact]
    public async Task PerNumberLimit_StopsLogInTexts_With429()
    {
        // Log-in codes have their own ten an hour: the link and setup code enrollment texted do not count.
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        for (var i = 0; i < 10; i++)
        {
            await user.StartVerificationAsync();
            fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        }

        var texts = fixture.Twilio.MessagesTo(user.Phone).Count;
        using var limited = await user.StartAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(50));
        Assert.Equal(texts, fixture.Twilio.MessagesTo(user.Phone).Count);
    }

    [Fact]
    public async Task PerUserLimit_StopsTextsToEveryNumber_With429()
    {
        var driver = new SetupDriver(fixture);
        var userId = SetupDriver.NewUserId();
        for (var i = 0; i < 10; i++)
        {
            using var started = await driver.StartAsync(new { userId, phone = SetupDriver.NewPhone() });
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        var phone = SetupDriver.NewPhone();
        using var limited = await driver.StartAsync(new { userId, phone });

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Empty(fixture.Twilio.MessagesTo(phone));
    }

    [Fact]
    public async Task LogInCode_ReportedUndelivered_ShowsInTheStatus_UntilTheNextCode()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        var phone = new BotPhone(fixture.NewClient(), fixture.Twilio.AuthToken, "http://localhost:7071", ServiceFixture.FromNumber);
        var verificationId = await user.StartVerificationAsync();
        var sid = fixture.Twilio.MessagesTo(user.Phone)[^1].Sid;
        Assert.False((await user.StatusAsync()).TryGetProperty("lastCodeDelivery", out _));

        using var report = await phone.PostSignedAsync(BotPhone.StatusPath, new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "undelivered", ["ErrorCode"] = "30005" });

        Assert.Equal(HttpStatusCode.NoContent, report.StatusCode);
        var delivery = (await user.StatusAsync()).GetProperty("lastCodeDelivery");
        Assert.Equal(verificationId, delivery.GetProperty("verificationId").GetString());
        Assert.Equal("undelivered", delivery.GetProperty("status").GetString());
        Assert.Equal(30005, delivery.GetProperty("errorCode").GetInt32());

        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        await user.StartVerificationAsync();
        Assert.False((await user.StatusAsync()).TryGetProperty("lastCodeDelivery", out _));
    }
}
