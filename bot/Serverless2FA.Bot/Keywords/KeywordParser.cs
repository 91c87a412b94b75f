using System.Globalization;
using System.Text;
using Serverless2FA.Core.Factors;
using Serverless2FA.Core.Enrollments;

namespace Serverless2FA.Bot.Keywords;

/// <summary>
/// Reads an inbound text as people type it on a phone: any case, surrounding spaces and punctuation ("Stop.",
/// " 2fa! "), full-width letters and digits (normalised with NFKC), codes written "123 456" or "123-456".
/// </summary>
public static class KeywordParser
{
    private static readonly Dictionary<string, Intent> Words = new(StringComparer.Ordinal)
    {
        ["START"] = Intent.Start,
        ["2FA"] = Intent.Start,
        ["YES"] = Intent.Start,
        ["UNSTOP"] = Intent.Start,
        ["1"] = Intent.One,
        ["2"] = Intent.Two,
        ["SAVED"] = Intent.Saved,
        ["SAVE"] = Intent.Saved,
        ["STATUS"] = Intent.Status,
        ["HELP"] = Intent.Help,
        ["INFO"] = Intent.Help,
        ["CANCEL"] = Intent.Cancel,
        ["STOP"] = Intent.OptOut,
        ["STOPALL"] = Intent.OptOut,
        ["STOP ALL"] = Intent.OptOut,
        ["UNSUBSCRIBE"] = Intent.OptOut,
        ["END"] = Intent.OptOut,
        ["QUIT"] = Intent.OptOut,
        ["OPTOUT"] = Intent.OptOut,
        ["REVOKE"] = Intent.OptOut,
    };

    public static IReadOnlyCollection<string> Keywords => Words.Keys;

    public static Inbound Parse(string? body)
    {
        var text = Clean(body);
        if (text.Length == 0)
        {
            return new Inbound(Intent.Unknown);
        }

        if (Words.TryGetValue(text, out var intent))
        {
            return new Inbound(intent);
        }

        if (text.StartsWith("JOIN", StringComparison.Ordinal) && (text.Length == 4 || !char.IsAsciiLetter(text[4])))
        {
            var argument = text[4..].TrimStart(' ', ':', '-', '#');
            return new Inbound(Intent.Join, argument.Length == 0 ? null : argument);
        }

        return Codes.NormalizeDigits(text) is { } code ? new Inbound(Intent.Code, code) : new Inbound(Intent.Unknown);
    }

    /// <summary>NFKC (full-width to ASCII), upper case, inner spaces collapsed, surrounding spaces and punctuation gone.</summary>
    internal static string Clean(string? body)
    {
        if (string.IsNullOrEmpty(body) || body.Length > 320)
        {
            return string.Empty;
        }

        var normal = body.Normalize(NormalizationForm.FormKC).ToUpperInvariant();
        var sb = new StringBuilder(normal.Length);
        foreach (var c in normal)
        {
            if (char.IsWhiteSpace(c))
            {
                if (sb.Length > 0 && sb[^1] != ' ')
                {
                    sb.Append(' ');
                }
            }
            else
            {
                sb.Append(c);
            }
        }

        var span = sb.ToString().AsSpan();
        int start = 0, end = span.Length;
        while (start < end && IsEdge(span[start]))
        {
            start++;
        }

        while (end > start && IsEdge(span[end - 1]))
        {
            end--;
        }

        return span[start..end].ToString();
    }

    private static bool IsEdge(char c)
        => char.IsWhiteSpace(c) || char.IsPunctuation(c) || char.IsSymbol(c)
           || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.Control;
}
