using System.Net;
using System.Net.Http.Json;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Verification;

[Collection(ServiceCollection.Name)]
public sealed class VerificationFlowTestsOnLocalHost(ServiceFixture fixture) : VerificationFlowTests(fixture);

/// <summary>Runs on the local host and, in Serverless2FA.WorkerTests, on the deployable worker.</summary>
public abstract class VerificationFlowTests(IServiceFixture fixture)
{
    [Fact]
    public async Task Authenticator_DeniesAWrongCode_ApprovesTheRightOne_Once()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");

        using var started = await user.StartAsync();
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var body = await SetupDriver.JsonAsync(started);
        var id = body.GetProperty("verificationId").GetString()!;
        Assert.StartsWith("ver_", id);
        Assert.True(body.GetProperty("required").GetBoolean());
        Assert.Equal("authenticator", body.GetProperty("method").GetString());
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > fixture.Clock.GetUtcNow().AddMinutes(9));

        using var wrong = await user.CheckAsync(id, "000000");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        var denied = await SetupDriver.JsonAsync(wrong);
        Assert.Equal("denied", denied.GetProperty("status").GetString());
        Assert.Equal(4, denied.GetProperty("attemptsLeft").GetInt32());

        using var right = await user.CheckAsync(id, user.TotpCode());
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var approved = await SetupDriver.JsonAsync(right);
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.False(approved.TryGetProperty("deviceToken", out _));

        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        using var again = await user.CheckAsync(id, user.TotpCode());
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Equal(["verified", "denied", "enrolled"], await user.AuditEventsAsync());
    }

    [Fact]
    public async Task Authenticator_ReplayedTimeStep_IsDenied()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var code = user.TotpCode();
        using var first = await user.CheckAsync(await user.StartVerificationAsync(), code);
        Assert.Equal("approved", (await SetupDriver.JsonAsync(first)).GetProperty("status").GetString());

        using var replay = await user.CheckAsync(await user.StartVerificationAsync(), code);

        Assert.Equal("denied", (await SetupDriver.JsonAsync(replay)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Sms_TextsACode_ThatApprovesOnce()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        var before = fixture.Twilio.MessagesTo(user.Phone).Count;

        using var started = await user.StartAsync();
        var body = await SetupDriver.JsonAsync(started);
        Assert.Equal("sms", body.GetProperty("method").GetString());
        Assert.Equal(before + 1, fixture.Twilio.MessagesTo(user.Phone).Count);
        var text = fixture.Twilio.MessagesTo(user.Phone)[^1].Body;
        Assert.True(text.Length <= 160);
        var code = user.LastTextedCode();
        Assert.DoesNotContain(code, body.GetRawText());
        var id = body.GetProperty("verificationId").GetString()!;

        using var approved = await user.CheckAsync(id, code[..3] + " " + code[3..]);
        using var again = await user.CheckAsync(id, code);

        Assert.Equal("approved", (await SetupDriver.JsonAsync(approved)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
    }

    [Fact]
    public async Task Sms_ANewCode_ReplacesTheOldOne()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        var first = await user.StartVerificationAsync();
        var firstCode = user.LastTextedCode();
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var second = await user.StartVerificationAsync();
        var secondCode = user.LastTextedCode();

        using var old = await user.CheckAsync(first, firstCode);
        using var current = await user.CheckAsync(second, secondCode);

        Assert.Equal(HttpStatusCode.Gone, old.StatusCode);
        Assert.Equal("approved", (await SetupDriver.JsonAsync(current)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Sms_SecondStartWithinTheCooldown_TextsNothing()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        await user.StartVerificationAsync();
        var texts = fixture.Twilio.MessagesTo(user.Phone).Count;

        using var again = await user.StartAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.True(again.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 and <= 30 });
        Assert.Equal(texts, fixture.Twilio.MessagesTo(user.Phone).Count);
    }

    [Theory]
    [InlineData(599, HttpStatusCode.OK)]
    [InlineData(601, HttpStatusCode.Gone)]
    public async Task Sms_Code_ExpiresAfterTenMinutes_WithoutTheSweep(int secondsLater, HttpStatusCode expected)
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        var id = await user.StartVerificationAsync();
        var code = user.LastTextedCode();
        fixture.Clock.Advance(TimeSpan.FromSeconds(secondsLater));

        using var response = await user.CheckAsync(id, code);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task EmergencyCode_WorksOnce_AndSaysHowManyAreLeft()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var code = user.EmergencyCodes[2];

        using var used = await user.CheckAsync(await user.StartVerificationAsync(), code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal));
        using var reused = await user.CheckAsync(await user.StartVerificationAsync(), code);

        var approved = await SetupDriver.JsonAsync(used);
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.True(approved.GetProperty("usedEmergencyCode").GetBoolean());
        Assert.Equal(4, approved.GetProperty("emergencyCodesLeft").GetInt32());
        Assert.Equal("denied", (await SetupDriver.JsonAsync(reused)).GetProperty("status").GetString());
        Assert.Equal(4, (await user.StatusAsync()).GetProperty("emergencyCodesLeft").GetInt32());
        Assert.Contains("emergency-code-used", await user.AuditEventsAsync());
    }

    [Fact]
    public async Task OncePerComputer_RemembersTheComputer_UntilForgotten()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator", "once-per-computer");
        using var approved = await user.CheckAsync(await user.StartVerificationAsync(), user.TotpCode(), rememberDevice: true);
        var body = await SetupDriver.JsonAsync(approved);
        Assert.Equal("approved", body.GetProperty("status").GetString());
        var token = body.GetProperty("deviceToken").GetString()!;
        Assert.True(token.Length >= 22);

        async Task<bool> RequiredAsync(string? deviceToken)
        {
            using var response = await user.StartAsync(deviceToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await SetupDriver.JsonAsync(response)).GetProperty("required").GetBoolean();
        }

        Assert.False(await RequiredAsync(token));
        Assert.True(await RequiredAsync(null));
        // One character changed, whatever the token holds: a token that already ends in "AA" must not pass for tampered.
        var tampered = (token[0] == 'A' ? "B" : "A") + token[1..];
        Assert.NotEqual(token, tampered);
        Assert.True(await RequiredAsync(tampered));
        Assert.Equal(1, (await user.StatusAsync()).GetProperty("rememberedDevices").GetInt32());

        using var forget = await user.Client.DeleteAsync($"/api/users/{user.UserId}/devices");
        Assert.Equal(HttpStatusCode.NoContent, forget.StatusCode);
        Assert.True(await RequiredAsync(token));
        Assert.Contains("devices-forgotten", await user.AuditEventsAsync());
    }

    [Fact]
    public async Task RememberedComputer_ExpiresAfterThirtyDays()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator", "once-per-computer");
        using var approved = await user.CheckAsync(await user.StartVerificationAsync(), user.TotpCode(), rememberDevice: true);
        var token = (await SetupDriver.JsonAsync(approved)).GetProperty("deviceToken").GetString()!;

        fixture.Clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1));
        using var later = await user.StartAsync(token);

        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.True((await SetupDriver.JsonAsync(later)).GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task EveryLoginPolicy_IssuesNoDeviceToken()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");

        using var approved = await user.CheckAsync(await user.StartVerificationAsync(), user.TotpCode(), rememberDevice: true);

        // Approved (not a failure that happens to carry no token), and no computer is remembered.
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var body = await SetupDriver.JsonAsync(approved);
        Assert.Equal("approved", body.GetProperty("status").GetString());
        Assert.False(body.TryGetProperty("deviceToken", out _));
        Assert.Equal(0, (await user.StatusAsync()).GetProperty("rememberedDevices").GetInt32());
    }

    [Fact]
    public async Task WrongCodes_AcrossVerifications_LockTheFactor_UntilTheLockoutEnds()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var first = await user.StartVerificationAsync();
        for (var i = 0; i < 3; i++)
        {
            (await user.CheckAsync(first, "000000")).Dispose();
        }

        var second = await user.StartVerificationAsync();
        using var fourth = await user.CheckAsync(second, "000000");
        Assert.Equal(1, (await SetupDriver.JsonAsync(fourth)).GetProperty("attemptsLeft").GetInt32());
        using var fifth = await user.CheckAsync(second, "000000");
        Assert.Equal(HttpStatusCode.Locked, fifth.StatusCode);
        using var right = await user.CheckAsync(second, user.TotpCode());
        Assert.Equal(HttpStatusCode.Locked, right.StatusCode);
        Assert.True(right.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(14));
        using var startWhileLocked = await user.StartAsync();
        Assert.Equal(HttpStatusCode.Locked, startWhileLocked.StatusCode);

        fixture.Clock.Advance(TimeSpan.FromMinutes(15));
        using var afterwards = await user.CheckAsync(await user.StartVerificationAsync(), user.TotpCode());
        Assert.Equal("approved", (await SetupDriver.JsonAsync(afterwards)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task BadInput_IsA4xxProblem_ThatChangesNothing()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var id = await user.StartVerificationAsync();

        using var unknown = await user.CheckAsync("ver_doesnotexist", "123456");
        using var malformedId = await user.CheckAsync("nope", "123456");
        using var badCode = await user.CheckAsync(id, "12345");
        using var noUser = await user.Client.PostAsJsonAsync("/api/verifications", new { userId = "" });
        using var notEnrolled = await user.Client.PostAsJsonAsync("/api/verifications", new { userId = SetupDriver.NewUserId() });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformedId.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badCode.StatusCode);
        Assert.True((await SetupDriver.JsonAsync(badCode)).GetProperty("errors").TryGetProperty("code", out _));
        Assert.Equal(HttpStatusCode.BadRequest, noUser.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notEnrolled.StatusCode);
        Assert.All([unknown, badCode, noUser, notEnrolled], r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));

        // The malformed code counted nothing: all five tries remain.
        using var wrong = await user.CheckAsync(id, "000000");
        Assert.Equal(4, (await SetupDriver.JsonAsync(wrong)).GetProperty("attemptsLeft").GetInt32());
    }
}
