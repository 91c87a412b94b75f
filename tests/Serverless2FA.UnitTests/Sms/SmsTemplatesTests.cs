using Serverless2FA.Core.Options;
using Serverless2FA.Core.Sms;

namespace Serverless2FA.UnitTests.Sms;

public sealed class SmsTemplatesTests
{
    // The longest origin the service accepts (validated at start-up) and the longest issuer we expect.
    private static readonly string LongestLink = "https://" + new string('a', 56) + "/s/" + new string('T', 22);
    private static readonly string Issuer = new('I', ServiceOptions.MaxIssuerLength);

    public static TheoryData<string, string> Every()
    {
        var data = new TheoryData<string, string>();
        foreach (var locale in SmsTemplates.Locales)
        {
            foreach (var key in SmsTemplates.Keys)
            {
                data.Add(locale, key);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void EveryText_FitsOneGsm7Segment_WithTheLongestLink(string locale, string key)
    {
        var text = SmsTemplates.Render(key, locale, Issuer, key == SmsTemplates.SetupLink ? LongestLink : "123456", 15);

        Assert.True(GsmSegments.IsGsm7(text), $"{locale}/{key} is not GSM-7: {text}");
        Assert.True(text.Length <= 160, $"{locale}/{key} is {text.Length} characters: {text}");
        Assert.Equal(1, GsmSegments.Count(text));
    }

    [Theory]
    [InlineData(null, "en")]
    [InlineData("es-MX", "es")]
    [InlineData("ES", "es")]
    [InlineData("fr-FR", "en")]
    public void Resolve_PicksTheLanguage(string? locale, string expected) => Assert.Equal(expected, SmsTemplates.Resolve(locale));
}
