using Serverless2FA.Core.Phones;

namespace Serverless2FA.UnitTests.Phones;

public sealed class PhoneMaskTests
{
    [Theory]
    [InlineData("+15551230123", "+1 ••• ••• 0123")]
    [InlineData("+447700900123", "+44 ••• ••• 0123")]
    [InlineData("+4915123456789", "+49 ••• ••• • 6789")]
    [InlineData("+35312345678", "+353 ••• • 5678")]
    [InlineData("+80012345678", "+800 ••• • 5678")]
    public void Mask_KeepsCountryCodeAndLastFourDigits(string e164, string masked)
        => Assert.Equal(masked, PhoneMask.Mask(e164));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5551230123")]
    [InlineData("+1555123")]
    [InlineData("+1 555 123 0123")]
    [InlineData("+999123456789")]
    public void Mask_WithAnythingElse_ShowsNoDigits(string? input)
        => Assert.Equal(PhoneMask.Unknown, PhoneMask.Mask(input));
}
