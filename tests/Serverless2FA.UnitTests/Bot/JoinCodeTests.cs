using Serverless2FA.Core.TextEnrollment;

namespace Serverless2FA.UnitTests.Bot;

public sealed class JoinCodeTests
{
    [Fact]
    public void New_IsEightCharactersFromTheUnambiguousAlphabet()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => JoinCode.New()).ToList();
        Assert.All(codes, c => Assert.Matches("^[ABCDEFGHJKMNPQRSTVWXYZ2-9]{8}$", c));
        Assert.True(codes.Distinct().Count() > 195);
    }

    [Theory]
    [InlineData("abcd2345", "ABCD2345")]
    [InlineData("ABCD-2345", "ABCD2345")]
    [InlineData("ａｂｃｄ２３４５", "ABCD2345")]
    [InlineData("ABCD 234", null)]
    [InlineData("ABCD23450", null)]
    [InlineData("ABCD0345", null)]
    [InlineData("ABCDI345", null)]
    [InlineData(null, null)]
    public void Normalize_ReadsWhatPeopleType(string? input, string? expected) => Assert.Equal(expected, JoinCode.Normalize(input));
}
