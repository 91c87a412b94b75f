using Serverless2FA.Core.Sms;

namespace Serverless2FA.UnitTests.Sms;

public sealed class GsmSegmentsTests
{
    [Theory]
    [InlineData("Your code is 123456. It expires in 10 minutes.")]
    [InlineData("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà")]
    [InlineData("Set up 2FA: https://example.com/s/AbC-123_x?y=1")]
    [InlineData("Extension: ^{}\\[~]|€")]
    public void IsGsm7_WithGsmCharacters_IsTrue(string text) => Assert.True(GsmSegments.IsGsm7(text));

    [Theory]
    [InlineData("Code: 123456 ✅")]
    [InlineData("Ihr Code: 123 — danke")]
    [InlineData("`backtick`")]
    [InlineData("ç lower-case cedilla is not GSM")]
    [InlineData("Привет")]
    public void IsGsm7_WithOtherCharacters_IsFalse(string text) => Assert.False(GsmSegments.IsGsm7(text));

    [Fact]
    public void Septets_CountExtensionCharactersTwice()
        => Assert.Equal(2 + 1 + 2, GsmSegments.Septets("€a{"));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    [InlineData(459, 3)]
    [InlineData(460, 4)]
    public void Count_Gsm7(int length, int segments)
        => Assert.Equal(segments, GsmSegments.Count(new string('a', length)));

    [Theory]
    [InlineData(80, 1)]
    [InlineData(81, 2)]
    public void Count_Gsm7_ExtensionCharactersTakeTwoSeptets(int euros, int segments)
        => Assert.Equal(segments, GsmSegments.Count(new string('€', euros)));

    [Fact]
    public void Count_Gsm7_NeverSplitsAnEscapeFromItsCharacter()
    {
        // 152 plain septets then '€' (2) would make a first part of 154: it moves whole into the second part.
        var text = new string('a', 152) + "€" + new string('a', 10);
        Assert.Equal(2, GsmSegments.Count(text));
        Assert.Equal(3, GsmSegments.Count(new string('a', 152) + "€" + new string('a', 152) + "€"));
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Count_Ucs2(int length, int segments)
        => Assert.Equal(segments, GsmSegments.Count(new string('ж', length)));

    [Fact]
    public void Count_Ucs2_NeverSplitsASurrogatePair()
    {
        // 134 units fit two parts of 67 only if the emoji (2 units) may straddle them; it may not.
        Assert.Equal(3, GsmSegments.Count(new string('ж', 66) + "😀" + new string('ж', 66)));
        Assert.Equal(2, GsmSegments.Count(new string('ж', 65) + "😀" + new string('ж', 67)));
        Assert.Equal(1, GsmSegments.Count(new string('ж', 68) + "😀"));
    }

    [Fact]
    public void OneNonGsmCharacter_TurnsTheWholeTextIntoUcs2()
    {
        var text = new string('a', 100);
        Assert.Equal(1, GsmSegments.Count(text));
        Assert.Equal(2, GsmSegments.Count(text + "✅"));
    }

    [Fact]
    public void FitsOneGsm7Segment()
    {
        Assert.True(GsmSegments.FitsOneGsm7Segment(new string('a', 160)));
        Assert.False(GsmSegments.FitsOneGsm7Segment(new string('a', 159) + "€"));
        Assert.False(GsmSegments.FitsOneGsm7Segment("✅"));
    }
}
