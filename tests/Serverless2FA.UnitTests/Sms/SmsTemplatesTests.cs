using Serverless2FA.Core.Options;
using Serverless2FA.Core.Sms;

namespace Serverless2FA.UnitTests.Sms;

public sealed class SmsTemplatesTests
{
    // The longest origin the service accepts (validated at start-up: 64 characters, so "http://" and a 57-character
    // host) and the longest issuer it accepts.
    private static readonly Uri LongestOrigin = new("http://" + new string('a', 57));
    private static readonly string LongestLink = LongestOrigin.GetLeftPart(UriPartial.Authority) + "/s/" + new string('T', 22);
    private static readonly string Issuer = new('I', ServiceOptions.MaxIssuerLength);
    private static readonly ServiceOptions Longest = new() { PublicBaseUrl = LongestOrigin, Issuer = Issuer };

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

    [Fact]
    public void EveryTemplate_DeclaresThePurposeItsTextsAreCountedUnder()
    {
        Assert.All(SmsTemplates.Keys, key => Assert.True(Enum.IsDefined(SmsTemplates.PurposeOf(key)), key));
        Assert.Equal(SmsPurpose.Login, SmsTemplates.PurposeOf(SmsTemplates.LoginCode));
        Assert.Equal(SmsPurpose.Enrollment, SmsTemplates.PurposeOf(SmsTemplates.SetupLink));
        Assert.Equal(SmsPurpose.Notice, SmsTemplates.PurposeOf(SmsTemplates.NoticePrefix + "disabled"));
        Assert.Throws<ArgumentException>(() => SmsTemplates.PurposeOf("no-such-template"));
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void EveryText_FitsOneGsm7Segment_WithTheLongestLinkOrHost(string locale, string key)
    {
        Assert.Equal(64, LongestOrigin.GetLeftPart(UriPartial.Authority).Length);
        var text = key switch
        {
            SmsTemplates.SetupLink => SmsTemplates.Render(key, locale, Issuer, LongestLink, 15),
            // A notice's number is how many emergency codes are left: at most ten.
            _ when SmsTemplates.PurposeOf(key) == SmsPurpose.Notice => SmsTemplates.Render(key, locale, Issuer, 10),
            _ => SmsTemplates.RenderCode(key, locale, Longest, "123456", 99),
        };

        Assert.True(GsmSegments.IsGsm7(text), $"{locale}/{key} is not GSM-7: {text}");
        Assert.True(GsmSegments.Septets(text) <= 160, $"{locale}/{key} is {GsmSegments.Septets(text)} septets: {text}");
        Assert.Equal(1, GsmSegments.Count(text));
    }

    public static TheoryData<string, string> Notices()
    {
        var data = new TheoryData<string, string>();
        foreach (var locale in new[] { "en", "es" })
        {
            foreach (var key in SmsTemplates.Keys.Where(k => k.StartsWith(SmsTemplates.NoticePrefix, StringComparison.Ordinal)))
            {
                data.Add(locale, key);
            }
        }

        return data;
    }

    [Fact]
    public void EveryNotice_HasATemplate_InEnglishAndSpanish()
    {
        string[] notices = [SmsTemplates.NoticeFactorReplaced, SmsTemplates.NoticeDisabled, SmsTemplates.NoticeEmergencyCodeUsed, SmsTemplates.NoticeEmergencyCodesRenewed, SmsTemplates.NoticeHardLocked];

        Assert.Equal(notices.Order(), SmsTemplates.Keys.Where(k => SmsTemplates.PurposeOf(k) == SmsPurpose.Notice).Order());
        Assert.Contains("es", SmsTemplates.Locales);
        Assert.All(notices, key => Assert.NotEqual(SmsTemplates.Render(key, "en", "Shop", 3), SmsTemplates.Render(key, "es", "Shop", 3)));
    }

    [Theory]
    [MemberData(nameof(Notices))]
    public void EveryNotice_IsOneGsm7Segment_WithTheLongestIssuer_AndHoldsNoNumberButTheCount(string locale, string key)
    {
        var text = SmsTemplates.Render(key, locale, Issuer, 10);

        Assert.True(GsmSegments.IsGsm7(text), $"{locale}/{key} is not GSM-7: {text}");
        Assert.True(GsmSegments.Septets(text) <= 160, $"{locale}/{key} is {GsmSegments.Septets(text)} septets: {text}");
        Assert.Equal(1, GsmSegments.Count(text));
        Assert.Equal(key == SmsTemplates.NoticeEmergencyCodeUsed, text.Contains("10", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("en", SmsTemplates.LoginCode)]
    [InlineData("es", SmsTemplates.LoginCode)]
    [InlineData("en", SmsTemplates.SetupCode)]
    [InlineData("es", SmsTemplates.SetupCode)]
    public void CodeTexts_EndWithTheOriginBoundLine(string locale, string key)
    {
        var service = new ServiceOptions { PublicBaseUrl = new Uri("https://2fa.example.com:8443"), Issuer = "Shop" };

        var text = SmsTemplates.RenderCode(key, locale, service, "042917", 10);

        var lines = text.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("042917", lines[0]);
        // WebOTP / domain-bound codes: "@" host (no scheme, no port), a space, "#" and the code, as the last line.
        Assert.Equal("@2fa.example.com #042917", lines[1]);
    }

    [Fact]
    public void OriginBoundLine_WritesAnInternationalHostInItsAsciiForm()
        => Assert.Equal("@xn--bcher-kva.example #123456", SmsTemplates.OriginBoundLine(new Uri("https://bücher.example"), "123456"));

    [Theory]
    [InlineData(null, "en")]
    [InlineData("es-MX", "es")]
    [InlineData("ES", "es")]
    [InlineData("fr-FR", "en")]
    public void Resolve_PicksTheLanguage(string? locale, string expected) => Assert.Equal(expected, SmsTemplates.Resolve(locale));
}
