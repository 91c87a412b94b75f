using System.Net;
using Serverless2FA.Core.Sms;
using Serverless2FA.IntegrationTests.Bot;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Sms;

/// <summary>
/// Every text that carries a code, as Twilio receives it, ends with the origin-bound line "@host #code" for
/// PublicBaseUrl's host (here localhost), and is one GSM-7 segment.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class CodeTextTests(ServiceFixture fixture)
{
    [Fact]
    public async Task SetupCode_FromTheSetupPage_EndsWithTheOriginBoundLine()
    {
        var driver = new SetupDriver(fixture);
        var (_, phone, cookie) = await driver.StartAndOpenAsync();

        using var sent = await driver.SendAsync(HttpMethod.Post, "/api/setup/sms", cookie);

        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        AssertOriginBound(fixture.Twilio.MessagesTo(phone)[^1].Body);
    }

    [Fact]
    public async Task LogInCode_EndsWithTheOriginBoundLine()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");

        await user.StartVerificationAsync();

        AssertOriginBound(fixture.Twilio.MessagesTo(user.Phone)[^1].Body);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("es")]
    public async Task BotsSetupCode_EndsWithTheOriginBoundLine(string? locale)
    {
        var bot = new BotDriver(fixture);
        var (_, phone) = await bot.JoinAsync(locale);

        await bot.Phone.TextAsync(phone, "1");

        AssertOriginBound(fixture.Twilio.MessagesTo(phone)[^1].Body);
    }

    private static void AssertOriginBound(string text)
    {
        var lines = text.Split('\n');
        var code = System.Text.RegularExpressions.Regex.Match(lines[0], @"\b\d{6}\b").Value;
        Assert.Equal("@localhost #" + code, lines[^1]);
        Assert.Equal(2, lines.Length);
        Assert.Equal(1, GsmSegments.Count(text));
        Assert.True(GsmSegments.IsGsm7(text), text);
    }
}
