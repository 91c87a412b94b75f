using System.Security.Cryptography;
using System.Text;

namespace Serverless2FA.Local.Dev;

/// <summary>
/// Signs a webhook call as Twilio does (HMAC-SHA1 with the auth token over the URL and the form fields sorted by
/// name, base64), so the phone simulator goes through the same signature check as Twilio's own calls.
/// </summary>
internal static class TwilioRequestSigner
{
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }

        // Twilio's scheme, not a choice: the signature is only as strong as Twilio makes it.
#pragma warning disable CA5350
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }
}
