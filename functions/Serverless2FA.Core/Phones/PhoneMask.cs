using System.Text;
using PhoneNumbers;

namespace Serverless2FA.Core.Phones;

/// <summary>
/// Masks a phone number for logs and responses: <c>+15551230123</c> becomes <c>+1 ••• ••• 0123</c>.
/// Only the country code and the last four digits survive.
/// </summary>
public static class PhoneMask
{
    private const int VisibleDigits = 4;
    private const int GroupSize = 3;
    private const char Dot = '•';
    private const string UnknownRegion = "ZZ";

    /// <summary>What is shown for anything that does not look like an E.164 number.</summary>
    public const string Unknown = "•••";

    public static string Mask(string? e164)
    {
        if (string.IsNullOrEmpty(e164) || e164[0] != '+')
        {
            return Unknown;
        }

        var digits = e164.AsSpan(1);
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return Unknown;
            }
        }

        var countryCodeLength = CountryCodeLength(digits);
        var hidden = digits.Length - countryCodeLength - VisibleDigits;
        // Too short to hide anything meaningful: showing four digits of a short number would show most of it.
        if (countryCodeLength == 0 || hidden < GroupSize)
        {
            return Unknown;
        }

        var masked = new StringBuilder(e164.Length + 8);
        masked.Append('+').Append(digits[..countryCodeLength]);
        for (var i = 0; i < hidden; i += GroupSize)
        {
            masked.Append(' ').Append(Dot, Math.Min(GroupSize, hidden - i));
        }

        return masked.Append(' ').Append(digits[^VisibleDigits..]).ToString();
    }

    // Country calling codes are prefix-free, so the first 1-3 digits that name a known code are the code.
    private static int CountryCodeLength(ReadOnlySpan<char> digits)
    {
        var util = PhoneNumberUtil.GetInstance();
        var code = 0;
        for (var length = 1; length <= 3 && length <= digits.Length; length++)
        {
            code = (code * 10) + (digits[length - 1] - '0');
            // "001" (non-geographic codes such as +800) counts as known; only "ZZ" means no such code.
            if (util.GetRegionCodeForCountryCode(code) != UnknownRegion)
            {
                return length;
            }
        }

        return 0;
    }
}
