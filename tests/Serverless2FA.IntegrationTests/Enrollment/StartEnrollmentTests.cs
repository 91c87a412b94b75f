using System.Net;
using System.Net.Http.Json;
using System.Text;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Enrollment;

[Collection(ServiceCollection.Name)]
public sealed class StartEnrollmentTestsOnLocalHost(ServiceFixture fixture) : StartEnrollmentTests(fixture);

/// <summary>Runs on the local host and, in Serverless2FA.WorkerTests, on the deployable worker.</summary>
public abstract class StartEnrollmentTests(IServiceFixture fixture)
{
    private readonly SetupDriver _driver = new(fixture);

    public static TheoryData<string, string, string> BadBodies() => new()
    {
        { "application/json", "", "body" },
        { "application/json", "not json", "body" },
        { "application/json", "[]", "body" },
        { "application/json", "{\"phone\":\"+12015550100\"}", "userId" },
        { "application/json", "{\"userId\":\"\",\"phone\":\"+12015550100\"}", "userId" },
        { "application/json", "{\"userId\":\"" + new string('x', 257) + "\",\"phone\":\"+12015550100\"}", "userId" },
        { "application/json", "{\"userId\":\"a\\u0000b\",\"phone\":\"+12015550100\"}", "userId" },
        { "application/json", "{\"userId\":\"u1\",\"phone\":\"hello\"}", "phone" },
        { "application/json", "{\"userId\":\"u1\",\"phone\":\"+1 201 555\"}", "phone" },
        { "application/json", "{\"userId\":\"u1\",\"phone\":\"+7 912 345 67 89\"}", "phone" },
        { "application/json", "{\"userId\":\"u1\",\"phone\":\"+44 20 7946 0958\"}", "phone" },
        { "application/json", "{\"userId\":\"u1\",\"phone\":12015550100}", "phone" },
        { "application/json", "{\"userId\":\"u1\",\"phone\":\"+12015550100\",\"policy\":\"sometimes\"}", "policy" },
        { "application/json", "{\"userId\":\"u1\",\"phone\":\"+12015550100\",\"locale\":\"<script>\"}", "locale" },
        { "application/json", "{\"userId\":[1],\"phone\":\"+12015550100\"}", "userId" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Start_WithBadInput_Is400ProblemAndTextsNobody(string contentType, string body, string field)
    {
        var before = fixture.Twilio.Messages.Count;
        using var content = new StringContent(body, Encoding.UTF8, contentType);

        using var response = await _driver.Client.PostAsync("/api/enrollments", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await SetupDriver.JsonAsync(response);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.DoesNotContain("   at ", problem.GetRawText());
        Assert.Equal(before, fixture.Twilio.Messages.Count);
    }

    [Fact]
    public async Task Start_WithAFormBody_Is415()
    {
        using var response = await _driver.Client.PostAsync("/api/enrollments", new FormUrlEncodedContent([new("userId", "u1"), new("phone", "+12015550100")]));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Start_WithAHugeBody_Is413()
    {
        using var content = new StringContent("{\"userId\":\"" + new string('x', 40_000) + "\"}", Encoding.UTF8, "application/json");

        using var response = await _driver.Client.PostAsync("/api/enrollments", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Start_NeverEchoesThePhoneNumber()
    {
        var phone = SetupDriver.NewPhone();

        using var response = await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone });

        // Started (not an error page that happens to lack the number), and the answer holds no part of it.
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await SetupDriver.JsonAsync(response);
        Assert.Equal("link-sent", body.GetProperty("status").GetString());
        Assert.StartsWith("enr_", body.GetProperty("enrollmentId").GetString());
        Assert.DoesNotContain(phone[2..], body.GetRawText());
        Assert.DoesNotContain(phone[^4..], body.GetRawText());
    }

    [Fact]
    public async Task Start_ToANumberThatOptedOut_Is409AndLeavesARecoverableState()
    {
        var userId = SetupDriver.NewUserId();
        var phone = SetupDriver.NewPhone();
        fixture.Twilio.Reject(phone, 21610);

        using var response = await _driver.StartAsync(new { userId, phone });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await SetupDriver.JsonAsync(response);
        Assert.EndsWith(":opted-out", problem.GetProperty("type").GetString());
        Assert.Contains("START", problem.GetProperty("detail").GetString());
        var status = await SetupDriver.JsonAsync(await _driver.Client.GetAsync($"/api/users/{userId}/two-factor"));
        Assert.False(status.GetProperty("enrolled").GetBoolean());
        Assert.Equal("failed", status.GetProperty("pendingEnrollment").GetProperty("status").GetString());

        // Once opted out, the service does not even ask Twilio again.
        var attempts = fixture.Twilio.AttemptsFor(phone);
        using var again = await _driver.StartAsync(new { userId, phone });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(attempts, fixture.Twilio.AttemptsFor(phone));
    }

    [Fact]
    public async Task Start_ToAnInvalidNumber_Is422()
    {
        var phone = SetupDriver.NewPhone();
        fixture.Twilio.Reject(phone, 21211);

        using var response = await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Start_WhenTwilioIsBusy_RetriesAndSendsOnce()
    {
        var phone = SetupDriver.NewPhone();
        fixture.Twilio.FailNext(phone, 429, times: 2);

        using var response = await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(fixture.Twilio.MessagesTo(phone));
    }

    [Fact]
    public async Task Start_WhenTwilioKeepsFailing_Is503WithRetryAfter_AndCanBeRetried()
    {
        var userId = SetupDriver.NewUserId();
        var phone = SetupDriver.NewPhone();
        fixture.Twilio.FailNext(phone, 500, times: 3);

        using var failed = await _driver.StartAsync(new { userId, phone });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.NotNull(failed.Headers.RetryAfter);

        using var retried = await _driver.StartAsync(new { userId, phone });
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        await _driver.OpenAsync(_driver.LinkTextedTo(phone));
    }

    [Fact]
    public async Task Start_MoreThanThreeTimesAnHour_ToOneNumber_Is429()
    {
        var phone = SetupDriver.NewPhone();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone });
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        using var limited = await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone });

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(50));
        Assert.Equal(3, fixture.Twilio.MessagesTo(phone).Count);
    }

    [Fact]
    public async Task Start_InParallel_ToOneNumber_NeverExceedsTheLimit()
    {
        var phone = SetupDriver.NewPhone();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone })));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(3, fixture.Twilio.MessagesTo(phone).Count);
    }

    [Fact]
    public async Task Status_OfAnUnknownUser_IsNotEnrolled()
    {
        using var response = await _driver.Client.GetAsync("/api/users/nobody-" + Guid.NewGuid().ToString("N") + "/two-factor");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"enrolled":false}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Start_InSpanish_TextsInSpanish()
    {
        var phone = SetupDriver.NewPhone();

        using var response = await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone, locale = "es-MX" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("Caduca", Assert.Single(fixture.Twilio.MessagesTo(phone)).Body);
    }

    [Fact]
    public async Task Responses_WritePhoneNumbersAsWritten_NotEscaped()
    {
        using var byText = await _driver.StartAsync(new { userId = SetupDriver.NewUserId() });
        var (_, phone, cookie) = await _driver.StartAndOpenAsync();
        using var setup = await _driver.SendAsync(HttpMethod.Get, "/api/setup", cookie, json: null);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.OK), (byText.StatusCode, setup.StatusCode));
        Assert.Contains("\"smsNumber\":\"" + ServiceFixture.FromNumber + "\"", await byText.Content.ReadAsStringAsync());
        Assert.Contains("\"phoneMasked\":\"+1 ••• ••• " + phone[^4..] + "\"", await setup.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_ReportsEachPart()
    {
        using var response = await _driver.Client.GetAsync("/api/health");
        var health = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", health!["status"]);
        Assert.Equal("ok", health["storage"]);
        Assert.Equal("file", health["secrets"]);
        Assert.Equal("twilio", health["sms"]);
    }
}
