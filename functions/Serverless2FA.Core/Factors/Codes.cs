using System.Text;

namespace Serverless2FA.Core.Factors;

/// <summary>Reads a 6-digit code as people type it: spaces, dashes and full-width digits allowed.</summary>
public static class Codes
{
    public const int SmsDigits = 6;

    /// <returns>The six ASCII digits, or null when the input is not a 6-digit code.</returns>
    public static string? NormalizeDigits(string? input)
    {
        if (input is null || input.Length > 32)
        {
            return null;
        }

        var sb = new StringBuilder(SmsDigits);
        foreach (var c in input)
        {
            if (c is ' ' or '-' or '\u00a0')
            {
                continue;
            }

            if (c is >= '0' and <= '9')
            {
                sb.Append(c);
            }
            else if (c is >= '\uff10' and <= '\uff19')
            {
                sb.Append((char)('0' + (c - '\uff10')));
            }
            else
            {
                return null;
            }
        }

        return sb.Length == SmsDigits ? sb.ToString() : null;
    }
}
