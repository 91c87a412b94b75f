using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;

namespace Serverless2FA.UnitTests.Phones;

public sealed class PhoneNumberPolicyTests
{
    private readonly PhoneNumberPolicy _policy = new(Options.Create(new SmsOptions()));

    [Theory]
    [InlineData("+1 201 555 0123", null, "+12015550123", "US")]
    [InlineData("(201) 555-0123", null, "+12015550123", "US")]
    [InlineData("201.555.0123", null, "+12015550123", "US")]
    [InlineData("+44 7400 123456", null, "+447400123456", "GB")]
    [InlineData("07400 123456", "GB", "+447400123456", "GB")]
    [InlineData("0151 23456789", "DE", "+4915123456789", "DE")]
    [InlineData("+34 612 34 56 78", null, "+34612345678", "ES")]
    public void Parse_NormalisesToE164(string input, string? region, string e164, string country)
    {
        var result = _policy.Parse(input, region);

        Assert.True(result.Valid, result.Error);
        Assert.Equal(e164, result.E164);
        Assert.Equal(country, result.Region);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello")]
    [InlineData("+1 201 555")]
    [InlineData("+999 1234567")]
    [InlineData("+12015550123+12015550123+12015550123")]
    public void Parse_RejectsWhatIsNotANumber(string? input)
    {
        var result = _policy.Parse(input);

        Assert.False(result.Valid);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        Assert.Null(result.E164);
    }

    [Fact]
    public void Parse_RejectsCountriesOutsideTheAllowList()
    {
        var result = _policy.Parse("+7 912 345 67 89");

        Assert.False(result.Valid);
        Assert.Contains("RU", result.Error);
    }

    [Fact]
    public void Parse_RejectsLandlinesThatCannotReceiveTexts()
    {
        var result = _policy.Parse("+44 20 7946 0958");

        Assert.False(result.Valid);
        Assert.Contains("mobile", result.Error);
    }
}
