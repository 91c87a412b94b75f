using System.Net;
using System.Xml.Linq;

namespace Serverless2FA.IntegrationTests.Infrastructure;

/// <summary>A phone texting the service: posts Twilio's webhook form, signed as Twilio signs it, and reads the TwiML.</summary>
public sealed class BotPhone(HttpClient client, string authToken, string publicBaseUrl, string serviceNumber)
{
    public const string SmsPath = "/api/twilio/sms";
    public const string StatusPath = "/api/twilio/status";

    public async Task<BotAnswer> TextAsync(string from, string body, string? messageSid = null)
    {
        using var response = await PostSignedAsync(SmsPath, Inbound(from, body, messageSid));
        return await BotAnswer.ReadAsync(response);
    }

    /// <summary>The form Twilio posts for a text from <paramref name="from"/> to the service's number.</summary>
    public Dictionary<string, string> Inbound(string from, string body, string? messageSid = null) => new()
    {
        ["MessageSid"] = messageSid ?? TwilioSignature.NewMessageSid(),
        ["AccountSid"] = "AC00000000000000000000000000000001",
        ["From"] = from,
        ["To"] = serviceNumber,
        ["Body"] = body,
        ["NumMedia"] = "0",
    };

    /// <summary>Posts <paramref name="form"/> to <paramref name="path"/>, signed over <paramref name="signedUrl"/> (default: PublicBaseUrl + path).</summary>
    public Task<HttpResponseMessage> PostSignedAsync(string path, IReadOnlyDictionary<string, string> form, string? signedUrl = null, string? token = null)
        => PostAsync(path, form, TwilioSignature.Compute(token ?? authToken, signedUrl ?? publicBaseUrl.TrimEnd('/') + path, form));

    public async Task<HttpResponseMessage> PostAsync(string path, IReadOnlyDictionary<string, string> form, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
        {
            request.Headers.Add("X-Twilio-Signature", signature);
        }

        return await client.SendAsync(request);
    }
}

/// <param name="Reply">The text of the TwiML &lt;Message&gt;, or null for an empty &lt;Response/&gt;.</param>
public sealed record BotAnswer(string? Reply)
{
    /// <summary>
    /// The bot's TwiML answer. Anything but a 200 with TwiML fails the test: a 403, 500 or 503 is not "no reply".
    /// </summary>
    public static async Task<BotAnswer> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"The webhook answered {(int)response.StatusCode}, not TwiML: {body}");
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var message = XDocument.Parse(body).Root!.Element("Message");
        return new BotAnswer(message?.Value);
    }
}
