using System.Net;
using OtpNet;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Enrollment;

[Collection(ServiceCollection.Name)]
public sealed class LinkFlowTestsOnLocalHost(ServiceFixture fixture) : LinkFlowTests(fixture);

/// <summary>Runs on the local host and, in Serverless2FA.WorkerTests, on the deployable worker.</summary>
public abstract class LinkFlowTests(IServiceFixture fixture)
{
    private readonly SetupDriver _driver = new(fixture);

    [Fact]
    public async Task TextedLink_WithAuthenticator_EnrollsTheUser()
    {
        var userId = SetupDriver.NewUserId();
        var phone = SetupDriver.NewPhone();

        using var started = await _driver.StartAsync(new { userId, phone = "(" + phone[2..5] + ") " + phone[5..8] + "-" + phone[8..], policy = "once-per-computer" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var enrollment = await SetupDriver.JsonAsync(started);
        Assert.Equal("link-sent", enrollment.GetProperty("status").GetString());
        Assert.StartsWith("enr_", enrollment.GetProperty("enrollmentId").GetString());
        Assert.True(enrollment.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);

        var text = Assert.Single(fixture.Twilio.MessagesTo(phone));
        Assert.Equal(ServiceFixture.FromNumber, text.From);
        Assert.True(text.Body.Length <= 160);
        Assert.EndsWith("/api/twilio/status", text.StatusCallback);

        var cookie = await _driver.OpenAsync(_driver.LinkTextedTo(phone));
        using var state = await _driver.SendAsync(HttpMethod.Get, "/api/setup", cookie, json: null);
        var setup = await SetupDriver.JsonAsync(state);
        Assert.Equal("opened", setup.GetProperty("status").GetString());
        Assert.Equal("+1 ••• ••• " + phone[^4..], setup.GetProperty("phoneMasked").GetString());
        Assert.Equal(["authenticator", "sms"], setup.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("once-per-computer", setup.GetProperty("policy").GetString());

        using var authenticator = await _driver.SendAsync(HttpMethod.Post, "/api/setup/authenticator", cookie);
        Assert.Equal(HttpStatusCode.OK, authenticator.StatusCode);
        var app = await SetupDriver.JsonAsync(authenticator);
        var secret = app.GetProperty("secret").GetString()!;
        Assert.Equal(32, secret.Length);
        Assert.StartsWith("otpauth://totp/Serverless2FA:", app.GetProperty("otpauthUri").GetString());
        Assert.Contains("secret=" + secret, app.GetProperty("otpauthUri").GetString());
        Assert.Contains("<svg", app.GetProperty("qrSvg").GetString());

        var code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(fixture.Clock.GetUtcNow().UtcDateTime);
        using var verified = await _driver.PostAsync("/api/setup/verify", cookie, new { code });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var codes = (await SetupDriver.JsonAsync(verified)).GetProperty("emergencyCodes").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(5, codes.Count);

        using var completed = await _driver.PostAsync("/api/setup/complete", cookie, new { policy = "once-per-computer", acknowledged = true });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var done = await SetupDriver.JsonAsync(completed);
        Assert.True(done.GetProperty("enrolled").GetBoolean());
        Assert.Equal("authenticator", done.GetProperty("method").GetString());

        using var statusResponse = await _driver.Client.GetAsync($"/api/users/{userId}/two-factor");
        var status = await SetupDriver.JsonAsync(statusResponse);
        Assert.True(status.GetProperty("enrolled").GetBoolean());
        Assert.Equal("authenticator", status.GetProperty("method").GetString());
        Assert.Equal("once-per-computer", status.GetProperty("policy").GetString());
        Assert.Equal(5, status.GetProperty("emergencyCodesLeft").GetInt32());
        Assert.Equal(0, status.GetProperty("rememberedDevices").GetInt32());
        Assert.DoesNotContain(phone[2..], status.GetRawText());

        // The session ended with the enrollment.
        using var after = await _driver.SendAsync(HttpMethod.Get, "/api/setup", cookie, json: null);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task TextedLink_WithSmsCodes_EnrollsTheUser()
    {
        var (userId, phone, cookie) = await _driver.StartAndOpenAsync();

        using var sent = await _driver.SendAsync(HttpMethod.Post, "/api/setup/sms", cookie);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        Assert.Equal(2, fixture.Twilio.MessagesTo(phone).Count);
        var code = _driver.CodeTextedTo(phone);

        using var verified = await _driver.PostAsync("/api/setup/verify", cookie, new { code = code[..3] + " " + code[3..] });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        using var completed = await _driver.PostAsync("/api/setup/complete", cookie, new { policy = "every-login", acknowledged = true });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);

        var status = await SetupDriver.JsonAsync(await _driver.Client.GetAsync($"/api/users/{userId}/two-factor"));
        Assert.Equal("sms", status.GetProperty("method").GetString());
        Assert.Equal("every-login", status.GetProperty("policy").GetString());
    }

    [Fact]
    public async Task SmsCode_WorksOnce()
    {
        var (_, phone, cookie) = await _driver.StartAndOpenAsync();
        await _driver.SendAsync(HttpMethod.Post, "/api/setup/sms", cookie);
        var code = _driver.CodeTextedTo(phone);

        using var first = await _driver.PostAsync("/api/setup/verify", cookie, new { code });
        using var again = await _driver.PostAsync("/api/setup/verify", cookie, new { code });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task SmsCode_AfterItsLifetime_IsRefused()
    {
        var (_, phone, cookie) = await _driver.StartAndOpenAsync();
        await _driver.SendAsync(HttpMethod.Post, "/api/setup/sms", cookie);
        var code = _driver.CodeTextedTo(phone);
        fixture.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        using var late = await _driver.PostAsync("/api/setup/verify", cookie, new { code });

        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
    }

    [Fact]
    public async Task SmsResend_WaitsOutTheCooldown()
    {
        var (_, _, cookie) = await _driver.StartAndOpenAsync();
        using var first = await _driver.SendAsync(HttpMethod.Post, "/api/setup/sms", cookie);
        using var second = await _driver.SendAsync(HttpMethod.Post, "/api/setup/sms", cookie);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.True(second.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Verify_WithTheSameCodeInParallel_SucceedsOnce()
    {
        var (_, _, cookie) = await _driver.StartAndOpenAsync();
        var app = await SetupDriver.JsonAsync(await _driver.SendAsync(HttpMethod.Post, "/api/setup/authenticator", cookie));
        var code = new Totp(Base32Encoding.ToBytes(app.GetProperty("secret").GetString()!)).ComputeTotp(fixture.Clock.GetUtcNow().UtcDateTime);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _driver.PostAsync("/api/setup/verify", cookie, new { code })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    [Fact]
    public async Task WrongCodes_CountDown_ThenLock()
    {
        var (_, _, cookie) = await _driver.StartAndOpenAsync();
        await _driver.SendAsync(HttpMethod.Post, "/api/setup/authenticator", cookie);

        for (var left = 4; left >= 1; left--)
        {
            using var wrong = await _driver.PostAsync("/api/setup/verify", cookie, new { code = "000000" });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
            Assert.Equal(left, (await SetupDriver.JsonAsync(wrong)).GetProperty("attemptsLeft").GetInt32());
        }

        using var fifth = await _driver.PostAsync("/api/setup/verify", cookie, new { code = "000000" });
        using var sixth = await _driver.PostAsync("/api/setup/verify", cookie, new { code = "000000" });
        Assert.Equal(HttpStatusCode.Locked, fifth.StatusCode);
        Assert.Equal(HttpStatusCode.Locked, sixth.StatusCode);
    }

    [Fact]
    public async Task WrongCodes_InParallel_AreAllCounted()
    {
        var (_, _, cookie) = await _driver.StartAndOpenAsync();
        await _driver.SendAsync(HttpMethod.Post, "/api/setup/authenticator", cookie);

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => _driver.PostAsync("/api/setup/verify", cookie, new { code = "000000" })));

        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.UnprocessableEntity));
        Assert.Equal(12, responses.Count(r => r.StatusCode == HttpStatusCode.Locked));
    }

    [Fact]
    public async Task Complete_BeforeVerifying_IsAConflict_AndWithoutAcknowledging_IsRefused()
    {
        var (_, _, cookie) = await _driver.StartAndOpenAsync();

        using var early = await _driver.PostAsync("/api/setup/complete", cookie, new { policy = "every-login", acknowledged = true });
        using var unacknowledged = await _driver.PostAsync("/api/setup/complete", cookie, new { policy = "every-login", acknowledged = false });

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unacknowledged.StatusCode);
        Assert.True((await SetupDriver.JsonAsync(unacknowledged)).GetProperty("errors").TryGetProperty("acknowledged", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("s2fa_setup=")]
    [InlineData("s2fa_setup=u0000.forged")]
    [InlineData("s2fa_setup=garbage")]
    public async Task SetupCalls_WithoutAValidSession_Are401(string? cookie)
    {
        foreach (var (method, path) in new[] { ("GET", "/api/setup"), ("POST", "/api/setup/authenticator"), ("POST", "/api/setup/sms"), ("POST", "/api/setup/verify"), ("POST", "/api/setup/complete") })
        {
            var body = path.EndsWith("verify", StringComparison.Ordinal) ? """{"code":"123456"}""" : path.EndsWith("complete", StringComparison.Ordinal) ? """{"policy":"every-login","acknowledged":true}""" : "{}";
            using var response = await _driver.SendAsync(new HttpMethod(method), path, cookie, method == "GET" ? null : body);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task SetupPosts_AcceptOnlyJson()
    {
        var (_, _, cookie) = await _driver.StartAndOpenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/setup/verify") { Content = new FormUrlEncodedContent([new("code", "123456")]) };
        request.Headers.Add("Cookie", cookie);

        using var form = await _driver.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
    }

    [Fact]
    public async Task SetupPage_IsServedWithAStrictPolicy()
    {
        using var page = await _driver.Client.GetAsync("/setup");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
    }
}
