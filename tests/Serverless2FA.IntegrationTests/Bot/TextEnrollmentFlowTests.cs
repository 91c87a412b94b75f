using System.Net;
using OtpNet;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Bot;

[Collection(ServiceCollection.Name)]
public sealed class TextEnrollmentFlowTests(ServiceFixture fixture)
{
    private readonly BotDriver _bot = new(fixture);

    [Fact]
    public async Task StartWithoutPhone_AnswersJoinCodeAndTheNumberToText()
    {
        var (userId, code, body) = await _bot.StartByTextAsync();

        Assert.Equal("awaiting-text", body.GetProperty("status").GetString());
        Assert.Equal(ServiceFixture.FromNumber, body.GetProperty("smsNumber").GetString());
        Assert.Matches("^[ABCDEFGHJKMNPQRSTVWXYZ2-9]{8}$", code);
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > fixture.Clock.GetUtcNow());
        var status = await _bot.StatusAsync(userId);
        Assert.Equal("awaiting-text", status.GetProperty("pendingEnrollment").GetProperty("status").GetString());
    }

    [Fact]
    public async Task SmsCodes_ByText_EnrollTheUser()
    {
        var (userId, phone) = await _bot.JoinAsync();

        var chose = await _bot.Phone.TextAsync(phone, " 1 ");
        Assert.Contains("6-digit code", chose.Reply);
        var code = _bot.Setup.CodeTextedTo(phone);
        var wrong = await _bot.Phone.TextAsync(phone, code == "000000" ? "111111" : "000000");
        Assert.Contains("4 tries left", wrong.Reply);

        var verified = await _bot.Phone.TextAsync(phone, code[..3] + " " + code[3..]);
        Assert.Contains("SAVED", verified.Reply);
        var codes = await _bot.RevealAsync(BotDriver.CodesLinkIn(verified.Reply));
        Assert.Equal(5, codes.Count);

        var saved = await _bot.Phone.TextAsync(phone, "saved!");
        Assert.Contains("Reply 1 at every sign-in", saved.Reply);
        var done = await _bot.Phone.TextAsync(phone, "2");
        Assert.Contains("done", done.Reply);
        BotDriver.AssertNoEmergencyCodeTexted(fixture, phone, [chose, wrong, verified, saved, done]);

        var status = await _bot.StatusAsync(userId);
        Assert.True(status.GetProperty("enrolled").GetBoolean());
        Assert.Equal("sms", status.GetProperty("method").GetString());
        Assert.Equal("once-per-computer", status.GetProperty("policy").GetString());
        Assert.Equal("+1 ••• ••• " + phone[^4..], status.GetProperty("phoneMasked").GetString());
        Assert.Equal(5, status.GetProperty("emergencyCodesLeft").GetInt32());

        var after = await _bot.Phone.TextAsync(phone, "STATUS");
        Assert.Contains("is on", after.Reply);
    }

    [Fact]
    public async Task AuthenticatorApp_CodeByText_EnrollsTheUser_WithTheRequestedPolicy()
    {
        var (userId, phone) = await _bot.JoinAsync(policy: "every-login");

        var chose = await _bot.Phone.TextAsync(phone, "2");
        Assert.Contains("setup link", chose.Reply);
        var cookie = await _bot.Setup.OpenAsync(_bot.Setup.LinkTextedTo(phone));
        using var app = await _bot.Setup.SendAsync(HttpMethod.Post, "/api/setup/authenticator", cookie);
        Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        var secret = (await SetupDriver.JsonAsync(app)).GetProperty("secret").GetString()!;

        var code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(fixture.Clock.GetUtcNow().UtcDateTime);
        var verified = await _bot.Phone.TextAsync(phone, code);
        var codes = await _bot.RevealAsync(BotDriver.CodesLinkIn(verified.Reply));
        Assert.Equal(5, codes.Count);
        // The relying app chose the policy, so SAVED finishes.
        var done = await _bot.Phone.TextAsync(phone, "SAVED");
        Assert.Contains("done", done.Reply);
        BotDriver.AssertNoEmergencyCodeTexted(fixture, phone, [chose, verified, done]);

        var status = await _bot.StatusAsync(userId);
        Assert.True(status.GetProperty("enrolled").GetBoolean());
        Assert.Equal("authenticator", status.GetProperty("method").GetString());
        Assert.Equal("every-login", status.GetProperty("policy").GetString());
    }

    [Fact]
    public async Task AuthenticatorApp_CodeOnThePage_TheBotThenAsksForSaved()
    {
        var (_, phone) = await _bot.JoinAsync();
        await _bot.Phone.TextAsync(phone, "2");
        var tooEarly = await _bot.Phone.TextAsync(phone, "123456");
        Assert.Contains("open the setup link first", tooEarly.Reply);

        var cookie = await _bot.Setup.OpenAsync(_bot.Setup.LinkTextedTo(phone));
        using var app = await _bot.Setup.SendAsync(HttpMethod.Post, "/api/setup/authenticator", cookie);
        var secret = (await SetupDriver.JsonAsync(app)).GetProperty("secret").GetString()!;
        var code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(fixture.Clock.GetUtcNow().UtcDateTime);
        using var verified = await _bot.Setup.PostAsync("/api/setup/verify", cookie, new { code });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);

        var status = await _bot.Phone.TextAsync(phone, "status");
        Assert.Contains("SAVED", status.Reply);
    }

    [Fact]
    public async Task JoinCode_IsSingleUse_AndWrongCodesAreLimitedPerNumber()
    {
        var (_, code, _) = await _bot.StartByTextAsync();
        var first = SetupDriver.NewPhone();
        Assert.Contains("phone linked", (await _bot.Phone.TextAsync(first, "join " + code.ToLowerInvariant())).Reply);
        Assert.Contains("not right", (await _bot.Phone.TextAsync(SetupDriver.NewPhone(), "JOIN " + code)).Reply);

        var guesser = SetupDriver.NewPhone();
        for (var i = 0; i < 5; i++)
        {
            Assert.Contains("not right", (await _bot.Phone.TextAsync(guesser, "JOIN ABCDEFGH")).Reply);
        }

        var (_, fresh, _) = await _bot.StartByTextAsync();
        Assert.Contains("too many wrong join codes", (await _bot.Phone.TextAsync(guesser, "JOIN " + fresh)).Reply);
    }

    [Fact]
    public async Task Spanish_Locale_RepliesInSpanish_InOneSegment()
    {
        var (_, phone) = await _bot.JoinAsync(locale: "es");
        var help = await _bot.Phone.TextAsync(phone, "AYUDA?");
        Assert.Contains("Responde 1 por SMS", help.Reply);
        Assert.True(help.Reply!.Length <= 160);
    }

    [Fact]
    public async Task Cancel_EndsTheSetup_AndStopsTexts_UntilStart()
    {
        var (userId, phone) = await _bot.JoinAsync();

        var cancelled = await _bot.Phone.TextAsync(phone, "Cancel");
        Assert.Null(cancelled.Reply);
        var status = await _bot.StatusAsync(userId);
        Assert.Equal("cancelled", status.GetProperty("pendingEnrollment").GetProperty("status").GetString());
        Assert.Null((await _bot.Phone.TextAsync(phone, "1")).Reply);

        var back = await _bot.Phone.TextAsync(phone, "START");
        Assert.Contains("text JOIN", back.Reply);
    }
}
