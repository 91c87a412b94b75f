using System.Text;
using Serverless2FA.Core.Crypto;

namespace Serverless2FA.Core.Factors;

/// <summary>
/// Emergency codes: 16 characters from a 30-letter alphabet without look-alikes (0/O, 1/I/L, U),
/// about 78 bits each — above the 64 bits NIST SP 800-63B asks of look-up secrets.
/// </summary>
public static class EmergencyCodes
{
    public const int Count = 5;
    public const int Length = 16;
    private const string Alphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789";

    public static IReadOnlyList<string> Generate()
        => Enumerable.Range(0, Count).Select(_ => Format(Randomness.FromAlphabet(Alphabet, Length))).ToList();

    /// <summary>What a person typed, as it was generated: upper case, no spaces or dashes; null when it cannot be one.</summary>
    public static string? Normalize(string? input)
    {
        if (input is null)
        {
            return null;
        }

        var sb = new StringBuilder(Length);
        foreach (var c in input)
        {
            if (c is '-' or ' ')
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

        return sb.Length == Length ? Format(sb.ToString()) : null;
    }

    private static string Format(string code) => string.Join('-', code.Chunk(4).Select(c => new string(c)));
}
