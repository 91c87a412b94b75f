using System.Security.Cryptography;

namespace Serverless2FA.Core.Events;

/// <summary>The <c>events-signing-secret</c>: <c>whsec_</c> and the base64 of random bytes, as Standard Webhooks writes keys.</summary>
public static class EventSigningSecret
{
    public const string Prefix = "whsec_";

    /// <summary>Bytes of a new key: Standard Webhooks asks for 24 to 64; 32 matches HMAC-SHA256's block of output.</summary>
    public const int KeyBytes = 32;

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));
}
