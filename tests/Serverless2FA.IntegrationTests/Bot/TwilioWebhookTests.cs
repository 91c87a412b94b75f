using System.Net;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Bot;

[Collection(ServiceCollection.Name)]
public sealed class TwilioWebhookTestsOnLocalHost(ServiceFixture fixture) : TwilioWebhookTests(fixture);

/// <summary>Runs on the local host and, in Serverless2FA.WorkerTests, on the deployable worker.</summary>
public abstract class TwilioWebhookTests(IServiceFixture fixture)
{
    private readonly BotDriver _bot = new(fixture);

    public static TheoryData<string, string?> BadSignatures() => new()
    {
        { "unsigned", null },
        { "wrong token", "token" },
        { "wrong port", BotDriver.PublicBaseUrl.Replace("7071", "8080", StringComparison.Ordinal) + BotPhone.SmsPath },
        { "wrong host", "http://127.0.0.1:7071" + BotPhone.SmsPath },
        { "wrong query", BotDriver.PublicBaseUrl + BotPhone.SmsPath + "?x=1" },
        { "wrong path", BotDriver.PublicBaseUrl + BotPhone.StatusPath },
        { "https", BotDriver.PublicBaseUrl.Replace("http:", "https:", StringComparison.Ordinal) + BotPhone.SmsPath },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task InboundText_NotSignedForThisUrl_Is403_AndChangesNothing(string why, string? signedUrl)
    {
        var (userId, code, _) = await _bot.StartByTextAsync();
        var phone = SetupDriver.NewPhone();
        var form = Form(phone, "JOIN " + code);

        using var response = why switch
        {
            "unsigned" => await _bot.Phone.PostAsync(BotPhone.SmsPath, form, signature: null),
            "wrong token" => await _bot.Phone.PostSignedAsync(BotPhone.SmsPath, form, token: "0123456789abcdef0123456789abcdef"),
            _ => await _bot.Phone.PostSignedAsync(BotPhone.SmsPath, form, signedUrl),
        };

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var status = await _bot.StatusAsync(userId);
        Assert.Equal("awaiting-text", status.GetProperty("pendingEnrollment").GetProperty("status").GetString());
        Assert.Empty(fixture.Twilio.MessagesTo(phone));
        // The same code still works when Twilio signs it: nothing was used up.
        Assert.Contains("phone linked", (await _bot.Phone.TextAsync(phone, "JOIN " + code)).Reply);
    }

    [Fact]
    public async Task InboundText_Signed_AnswersTwiML()
    {
        using var response = await _bot.Phone.PostSignedAsync(BotPhone.SmsPath, Form(SetupDriver.NewPhone(), "help"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var answer = await BotAnswer.ReadAsync(response);
        Assert.Contains("JOIN <code>", answer.Reply);
    }

    [Fact]
    public async Task SameMessageSid_Twice_HasOneEffect()
    {
        var (_, phone) = await _bot.JoinAsync();
        var sid = TwilioSignature.NewMessageSid();

        var first = await _bot.Phone.TextAsync(phone, "1", sid);
        var second = await _bot.Phone.TextAsync(phone, "1", sid);

        Assert.Contains("6-digit code", first.Reply);
        Assert.Null(second.Reply);
        Assert.Single(fixture.Twilio.MessagesTo(phone));
    }

    [Fact]
    public async Task SameMessageSid_InParallel_HasOneEffect()
    {
        var (_, phone) = await _bot.JoinAsync();
        var sid = TwilioSignature.NewMessageSid();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _bot.Phone.TextAsync(phone, "1", sid)));

        Assert.Single(answers, a => a.Reply is not null);
        Assert.Single(fixture.Twilio.MessagesTo(phone));
    }

    [Fact]
    public async Task Stop_ThenTheAppAsksForAText_Is409_PointingToTheAuthenticator_UntilStart()
    {
        var phone = SetupDriver.NewPhone();
        var stopped = await _bot.Phone.TextAsync(phone, "stop");
        Assert.Null(stopped.Reply);

        using var refused = await _bot.Setup.StartAsync(new { userId = SetupDriver.NewUserId(), phone });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await SetupDriver.JsonAsync(refused);
        Assert.Equal("urn:serverless2fa:problem:opted-out", problem.GetProperty("type").GetString());
        Assert.Contains("authenticator app", problem.GetProperty("detail").GetString());
        Assert.Empty(fixture.Twilio.MessagesTo(phone));
        Assert.Null((await _bot.Phone.TextAsync(phone, "HELP")).Reply);

        Assert.NotNull((await _bot.Phone.TextAsync(phone, "START")).Reply);
        using var allowed = await _bot.Setup.StartAsync(new { userId = SetupDriver.NewUserId(), phone });
        Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
        Assert.Single(fixture.Twilio.MessagesTo(phone));
    }

    [Theory]
    [InlineData("STOPALL")]
    [InlineData("Unsubscribe.")]
    [InlineData("end")]
    [InlineData(" QUIT ")]
    public async Task EveryOptOutWord_StopsTexts(string word)
    {
        var (_, phone) = await _bot.JoinAsync();
        Assert.Null((await _bot.Phone.TextAsync(phone, word)).Reply);

        Assert.Null((await _bot.Phone.TextAsync(phone, "1")).Reply);
        Assert.Empty(fixture.Twilio.MessagesTo(phone));
    }

    [Fact]
    public async Task StatusCallback_Undelivered_MarksThePendingEnrollment_WithTwiliosErrorCode()
    {
        var userId = SetupDriver.NewUserId();
        var phone = SetupDriver.NewPhone();
        using var started = await _bot.Setup.StartAsync(new { userId, phone });
        var sid = Assert.Single(fixture.Twilio.MessagesTo(phone)).Sid;
        var report = new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "undelivered", ["ErrorCode"] = "30003", ["To"] = phone };

        using (var unsigned = await _bot.Phone.PostAsync(BotPhone.StatusPath, report, signature: null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        }

        var before = (await _bot.StatusAsync(userId)).GetProperty("pendingEnrollment");
        Assert.False(before.TryGetProperty("deliveryStatus", out _));

        using var signed = await _bot.Phone.PostSignedAsync(BotPhone.StatusPath, report);
        Assert.Equal(HttpStatusCode.NoContent, signed.StatusCode);
        var pending = (await _bot.StatusAsync(userId)).GetProperty("pendingEnrollment");
        Assert.Equal("undelivered", pending.GetProperty("deliveryStatus").GetString());
        Assert.Equal(30003, pending.GetProperty("deliveryErrorCode").GetInt32());
    }

    [Fact]
    public async Task StatusCallback_ForTheBotsTextedCode_MarksItsEnrollment()
    {
        var (userId, phone) = await _bot.JoinAsync();
        await _bot.Phone.TextAsync(phone, "1");
        var sid = Assert.Single(fixture.Twilio.MessagesTo(phone)).Sid;

        using var delivered = await _bot.Phone.PostSignedAsync(BotPhone.StatusPath, new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "delivered" });
        Assert.Equal(HttpStatusCode.NoContent, delivered.StatusCode);
        Assert.False((await _bot.StatusAsync(userId)).GetProperty("pendingEnrollment").TryGetProperty("deliveryStatus", out _));

        using var failed = await _bot.Phone.PostSignedAsync(BotPhone.StatusPath, new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "failed", ["ErrorCode"] = "30006" });
        Assert.Equal(HttpStatusCode.NoContent, failed.StatusCode);
        var pending = (await _bot.StatusAsync(userId)).GetProperty("pendingEnrollment");
        Assert.Equal("failed", pending.GetProperty("deliveryStatus").GetString());
        Assert.Equal(30006, pending.GetProperty("deliveryErrorCode").GetInt32());
    }

    [Fact]
    public async Task StatusCallback_WithoutSid_Is400()
    {
        using var response = await _bot.Phone.PostSignedAsync(BotPhone.StatusPath, new Dictionary<string, string> { ["MessageStatus"] = "failed" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static Dictionary<string, string> Form(string from, string body) => new()
    {
        ["MessageSid"] = TwilioSignature.NewMessageSid(),
        ["From"] = from,
        ["To"] = ServiceFixture.FromNumber,
        ["Body"] = body,
    };
}
