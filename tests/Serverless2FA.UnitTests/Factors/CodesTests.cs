using Serverless2FA.Core.Factors;
using Serverless2FA.Core.Enrollments;

namespace Serverless2FA.UnitTests.Factors;

public sealed class CodesTests
{
    [Theory]
    [InlineData("123456", "123456")]
    [InlineData("123 456", "123456")]
    [InlineData("123-456", "123456")]
    [InlineData("１２３４５６", "123456")]
    [InlineData(" 123456 ", "123456")]
    public void NormalizeDigits_ReadsWhatPeopleType(string input, string expected)
        => Assert.Equal(expected, Codes.NormalizeDigits(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12345a")]
    [InlineData("١٢٣٤٥٦")]
    public void NormalizeDigits_RejectsAnythingElse(string? input) => Assert.Null(Codes.NormalizeDigits(input));

    [Fact]
    public void EmergencyCodes_HaveAtLeast64BitsEach_AndAreDistinct()
    {
        var codes = EmergencyCodes.Generate();

        Assert.Equal(EmergencyCodes.Count, codes.Count);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$", c));
        Assert.True(EmergencyCodes.Length * Math.Log2(30) >= 64);
    }

    [Fact]
    public void EmergencyCodes_NormalizeAsTyped()
    {
        var code = EmergencyCodes.Generate()[0];

        Assert.Equal(code, EmergencyCodes.Normalize(code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal)));
        Assert.Null(EmergencyCodes.Normalize(code[..^1]));
        Assert.Null(EmergencyCodes.Normalize(code.Replace(code[0], '0')));
    }
}
