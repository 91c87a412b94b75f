using Microsoft.Extensions.Options;
using PhoneNumbers;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Core.Phones;

/// <summary>Parses what a person typed into E.164 and decides whether the service may text it.</summary>
public sealed class PhoneNumberPolicy(IOptions<SmsOptions> options)
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <param name="input">As typed: "+44 20 7946 0958", "(201) 555-0123", "0151 23456789".</param>
    /// <param name="region">ISO 3166 region for numbers written without a country code; the default region when null.</param>
    public PhoneParseResult Parse(string? input, string? region = null)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return PhoneParseResult.Fail("Enter a mobile phone number.");
        }

        if (input.Length > 32)
        {
            return PhoneParseResult.Fail("That is too long to be a phone number.");
        }

        PhoneNumber number;
        try
        {
            number = Util.Parse(input, region ?? options.Value.DefaultRegion);
        }
        catch (NumberParseException)
        {
            return PhoneParseResult.Fail("That is not a phone number. Include the country code, for example +1 201 555 0123.");
        }

        if (!Util.IsValidNumber(number))
        {
            return PhoneParseResult.Fail("That is not a valid phone number. Check the digits and the country code.");
        }

        var type = Util.GetNumberType(number);
        if (type is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE))
        {
            return PhoneParseResult.Fail("That number cannot receive text messages. Use a mobile number.");
        }

        var countryRegion = Util.GetRegionCodeForNumber(number);
        if (!IsAllowed(countryRegion))
        {
            return PhoneParseResult.Fail($"Text messages to numbers in {countryRegion} are not offered. Use an authenticator app, or a number in an allowed country.");
        }

        return PhoneParseResult.Ok(Util.Format(number, PhoneNumberFormat.E164), countryRegion, number.CountryCode);
    }

    /// <summary>The region and country calling code of a stored E.164 number; (null, 0) when it cannot be read.</summary>
    public static (string? Region, int CountryCode) Describe(string e164)
    {
        try
        {
            var number = Util.Parse(e164, null);
            return (Util.GetRegionCodeForNumber(number), number.CountryCode);
        }
        catch (NumberParseException)
        {
            return (null, 0);
        }
    }

    public bool IsAllowed(string? region)
        => region is not null
           && options.Value.AllowedCountries.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
               .Contains(region, StringComparer.OrdinalIgnoreCase);
}

public sealed record PhoneParseResult(bool Valid, string? E164, string? Region, int CountryCode, string? Error)
{
    public static PhoneParseResult Ok(string e164, string region, int countryCode) => new(true, e164, region, countryCode, null);

    public static PhoneParseResult Fail(string error) => new(false, null, null, 0, error);
}
