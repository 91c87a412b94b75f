using System.Security.Cryptography;
using System.Text;

namespace Serverless2FA.IntegrationTests.Infrastructure;

/// <summary>
/// Signs a webhook request the way Twilio documents it, written apart from the SDK's validator so a test can catch
/// the validator being misused: HMAC-SHA1 with the auth token over the full URL followed by every form field's
/// name and value, sorted by name (ordinal), base64.
/// </summary>
public static class TwilioSignature
{
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }

        // SHA-1 because Twilio signs with it; this only mirrors Twilio.
#pragma warning disable CA5350
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    /// <summary>A Twilio-shaped message sid: "SM" and 32 hex digits.</summary>
    public static string NewMessageSid() => "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
