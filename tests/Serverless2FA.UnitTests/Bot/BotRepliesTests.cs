using Serverless2FA.Core.Factors;
using Serverless2FA.Bot;
using Serverless2FA.Bot.Conversation;
using Serverless2FA.Bot.Replies;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;

namespace Serverless2FA.UnitTests.Bot;

public sealed class BotRepliesTests
{
    private static readonly string Issuer = new('I', ServiceOptions.MaxIssuerLength);

    public static TheoryData<string, ReplyKey> Every()
    {
        var data = new TheoryData<string, ReplyKey>();
        foreach (var language in BotReplies.Languages)
        {
            foreach (var key in Enum.GetValues<ReplyKey>())
            {
                data.Add(language, key);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void EveryReply_FitsOneGsm7Segment_WithTheLongestArguments(string language, ReplyKey key)
    {
        // The codes link with the longest origin the service accepts (64 characters) and a 22-character token.
        object argument = key == ReplyKey.EmergencyCodesLink ? "http://" + new string('a', 57) + "/c/" + new string('T', 22) : 60;
        var reply = BotReplies.Render(key, language, Issuer, argument);

        Assert.True(GsmSegments.IsGsm7(reply.Text), $"{language}/{key} is not GSM-7: {reply.Text}");
        Assert.True(GsmSegments.FitsOneGsm7Segment(reply.Text), $"{language}/{key} is {reply.Text.Length} characters: {reply.Text}");
        Assert.Equal(1, reply.Segments);
        Assert.DoesNotContain("{", reply.Text.Replace("<code>", "", StringComparison.Ordinal).Replace("<codigo>", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Reply_OutsideGsm7_KnowsItsSegmentCount() => Assert.Equal(2, new BotReply(new string('ú', 71)).Segments);

    [Theory]
    [InlineData(null, "US", "en")]
    [InlineData(null, "MX", "es")]
    [InlineData(null, "ES", "es")]
    [InlineData(null, null, "en")]
    [InlineData("es-MX", "US", "es")]
    [InlineData("en", "ES", "en")]
    [InlineData("fr", "ES", "en")]
    public void LanguageFor_PrefersTheEnrollmentsLocale_ThenTheNumbersCountry(string? locale, string? region, string expected)
        => Assert.Equal(expected, BotReplies.LanguageFor(locale, region));

    [Theory]
    [InlineData(FailureKind.WrongCode, ConversationState.AwaitingSmsCode, "en", "3 tries left")]
    [InlineData(FailureKind.WrongCode, ConversationState.AwaitingAppCode, "es", "Te quedan 3 intentos")]
    [InlineData(FailureKind.Locked, ConversationState.AwaitingSmsCode, "en", "too many wrong codes")]
    [InlineData(FailureKind.Gone, ConversationState.AwaitingSmsCode, "en", "has expired")]
    [InlineData(FailureKind.Gone, ConversationState.ChoosingPolicy, "en", "text JOIN")]
    [InlineData(FailureKind.Conflict, ConversationState.AwaitingAppCode, "en", "open the setup link first")]
    [InlineData(FailureKind.RateLimited, ConversationState.ChoosingMethod, "en", "Try again in 1 min")]
    [InlineData(FailureKind.Unavailable, ConversationState.ChoosingMethod, "en", "could not send")]
    public void FailureReply_SaysWhatToDoNext(FailureKind kind, ConversationState state, string language, string expected)
    {
        var context = new BotContext("+12015550123", "pkey", null, language, "Acme");
        var reply = BotSteps.FailureReply(new Failure(kind, "x") { AttemptsLeft = 3, RetryAfter = TimeSpan.FromSeconds(30) }, state, context);

        Assert.Contains(expected, reply!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void FailureReply_OptedOut_SendsNothing()
        => Assert.Null(BotSteps.FailureReply(new Failure(FailureKind.OptedOut, "x"), ConversationState.ChoosingMethod, new BotContext("+1", "p", null, "en", "Acme")));
}
