using System.Security.Cryptography;
using System.Text;

namespace Serverless2FA.Core.Crypto;

/// <summary>
/// Hashes for stored tokens and codes. High-entropy tokens are hashed with SHA-256; low-entropy codes
/// (6 digits, emergency codes) are hashed with the code-hash key (<see cref="KeyPurposes.CodeHashes"/>) and a per-item salt, so a stolen
/// table cannot be brute-forced offline without the key.
/// </summary>
public static class Hashes
{
    public static string OfToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string OfCode(ReadOnlySpan<byte> key, string salt, string code)
        => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(salt + "\n" + code)));

    /// <summary>Constant-time comparison of two hex hashes.</summary>
    public static bool Equal(string? a, string? b)
        => a is not null && b is not null
           && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
