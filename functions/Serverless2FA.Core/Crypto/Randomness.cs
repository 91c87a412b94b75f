using System.Security.Cryptography;
using System.Text;

namespace Serverless2FA.Core.Crypto;

/// <summary>Random tokens and codes from the CSPRNG, and the hashes they are stored as.</summary>
public static class Randomness
{
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>A URL-safe token of <paramref name="bytes"/> random bytes (128 bits by default).</summary>
    public static string Token(int bytes = 16) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>A numeric code of <paramref name="digits"/> digits, uniformly drawn.</summary>
    public static string Digits(int digits)
    {
        var chars = new char[digits];
        for (var i = 0; i < digits; i++)
        {
            chars[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        }

        return new string(chars);
    }

    /// <summary>A code from an alphabet without look-alikes, for people to type.</summary>
    public static string FromAlphabet(string alphabet, int length)
        => RandomNumberGenerator.GetString(alphabet, length);

    public static string Base32(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Base32Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            sb.Append(Base32Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return sb.ToString();
    }

    public static string Base64Url(ReadOnlySpan<byte> data)
        => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
