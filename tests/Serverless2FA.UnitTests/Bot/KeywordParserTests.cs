using Serverless2FA.Bot.Keywords;

namespace Serverless2FA.UnitTests.Bot;

public sealed class KeywordParserTests
{
    [Theory]
    [InlineData("START", Intent.Start, null)]
    [InlineData(" start! ", Intent.Start, null)]
    [InlineData("2fa", Intent.Start, null)]
    [InlineData("２ＦＡ", Intent.Start, null)]
    [InlineData("Yes", Intent.Start, null)]
    [InlineData("unstop", Intent.Start, null)]
    [InlineData("JOIN ABCD2345", Intent.Join, "ABCD2345")]
    [InlineData("join: abcd-2345.", Intent.Join, "ABCD-2345")]
    [InlineData("ＪＯＩＮ　ＡＢＣＤ２３４５", Intent.Join, "ABCD2345")]
    [InlineData("join", Intent.Join, null)]
    [InlineData("JOINED", Intent.Unknown, null)]
    [InlineData("123456", Intent.Code, "123456")]
    [InlineData(" 123 456. ", Intent.Code, "123456")]
    [InlineData("123-456", Intent.Code, "123456")]
    [InlineData("１２３４５６", Intent.Code, "123456")]
    [InlineData("12345", Intent.Unknown, null)]
    [InlineData("1234567", Intent.Unknown, null)]
    [InlineData("1", Intent.One, null)]
    [InlineData("１", Intent.One, null)]
    [InlineData("2.", Intent.Two, null)]
    [InlineData("(2)", Intent.Two, null)]
    [InlineData("saved", Intent.Saved, null)]
    [InlineData("Saved!!", Intent.Saved, null)]
    [InlineData("status?", Intent.Status, null)]
    [InlineData("HELP", Intent.Help, null)]
    [InlineData("info", Intent.Help, null)]
    [InlineData("cancel", Intent.Cancel, null)]
    [InlineData("STOP", Intent.OptOut, null)]
    [InlineData("Stop.", Intent.OptOut, null)]
    [InlineData("stopall", Intent.OptOut, null)]
    [InlineData("stop  all", Intent.OptOut, null)]
    [InlineData("UNSUBSCRIBE", Intent.OptOut, null)]
    [InlineData("end", Intent.OptOut, null)]
    [InlineData("quit", Intent.OptOut, null)]
    [InlineData("stop texting me please", Intent.Unknown, null)]
    [InlineData("", Intent.Unknown, null)]
    [InlineData("   ", Intent.Unknown, null)]
    [InlineData(null, Intent.Unknown, null)]
    [InlineData("hello", Intent.Unknown, null)]
    public void Parse_ReadsWhatPeopleType(string? body, Intent intent, string? argument)
    {
        var parsed = KeywordParser.Parse(body);

        Assert.Equal(intent, parsed.Intent);
        Assert.Equal(argument, parsed.Argument);
    }
}
