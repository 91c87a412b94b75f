using System.Collections.Frozen;

namespace Serverless2FA.Core.Sms;

/// <summary>
/// How a text is encoded on the air and how many billed segments it takes. GSM-7 carries 160 septets in one
/// segment or 153 per part of a longer text; anything outside GSM-7 goes as UCS-2: 70 UTF-16 units, or 67 per part.
/// Characters from the GSM-7 extension table take two septets (escape + character).
/// </summary>
public static class GsmSegments
{
    public const int Gsm7Single = 160;
    public const int Gsm7PerPart = 153;
    public const int Ucs2Single = 70;
    public const int Ucs2PerPart = 67;

    // GSM 03.38 basic character set, in code-point order (0x1B, the escape, is left out).
    private const string BasicSet =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // GSM 03.38 extension table: each is sent as escape + character.
    private const string ExtensionSet = "\f^{}\\[~]|€";

    private static readonly FrozenSet<char> Basic = BasicSet.ToFrozenSet();
    private static readonly FrozenSet<char> Extension = ExtensionSet.ToFrozenSet();

    /// <summary>True when every character of <paramref name="text"/> has a GSM-7 encoding.</summary>
    public static bool IsGsm7(string text)
    {
        foreach (var c in text)
        {
            if (!Basic.Contains(c) && !Extension.Contains(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Septets the text takes in GSM-7; extension characters count two. Meaningless unless <see cref="IsGsm7"/>.</summary>
    public static int Septets(string text)
    {
        var septets = 0;
        foreach (var c in text)
        {
            septets += Extension.Contains(c) ? 2 : 1;
        }

        return septets;
    }

    /// <summary>The number of segments the text is billed as (0 for an empty text).</summary>
    public static int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsGsm7(text) ? CountGsm7(text) : CountUcs2(text);
    }

    /// <summary>True when the text goes in a single GSM-7 segment, as every text this service sends must (design decision 8).</summary>
    public static bool FitsOneGsm7Segment(string text) => IsGsm7(text) && Septets(text) <= Gsm7Single;

    private static int CountGsm7(string text)
    {
        var total = Septets(text);
        if (total <= Gsm7Single)
        {
            return total == 0 ? 0 : 1;
        }

        // Phones never split an escape from its character, so a part may end one septet short.
        var parts = 1;
        var used = 0;
        foreach (var c in text)
        {
            var size = Extension.Contains(c) ? 2 : 1;
            if (used + size > Gsm7PerPart)
            {
                parts++;
                used = 0;
            }

            used += size;
        }

        return parts;
    }

    private static int CountUcs2(string text)
    {
        if (text.Length <= Ucs2Single)
        {
            return 1;
        }

        // Likewise a surrogate pair (an emoji, say) is never split across parts.
        var parts = 1;
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var size = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            if (used + size > Ucs2PerPart)
            {
                parts++;
                used = 0;
            }

            used += size;
            i += size - 1;
        }

        return parts;
    }
}
