using System.Text;
using Serverless2FA.Core.Crypto;

namespace Serverless2FA.Core.TextEnrollment;

/// <summary>
/// Join codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), about 39 bits: short to type
/// on a phone, and with a few tries per number per hour and a 15-minute life, not worth guessing.
/// </summary>
public static class JoinCode
{
    public const int Length = 8;
    public const string Alphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
    public const string HashPurpose = "join-code";

    public static string New() => Randomness.FromAlphabet(Alphabet, Length);

    /// <summary>As typed ("abcd-2345", full-width letters): upper case, no spaces or dashes; null when it cannot be one.</summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > 40)
        {
            return null;
        }

        var sb = new StringBuilder(Length);
        foreach (var c in input.Normalize(NormalizationForm.FormKC))
        {
            if (c is '-' or ' ' or '\u00a0')
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c);
            if (!Alphabet.Contains(upper, StringComparison.Ordinal))
            {
                return null;
            }

            sb.Append(upper);
        }

        return sb.Length == Length ? sb.ToString() : null;
    }
}
