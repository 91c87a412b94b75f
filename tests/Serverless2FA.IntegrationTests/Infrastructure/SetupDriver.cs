using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Serverless2FA.IntegrationTests.Infrastructure;

/// <summary>Drives the enrollment API as the relying app, the person's phone and the setup page do.</summary>
public sealed partial class SetupDriver(IServiceFixture fixture)
{
    private static int _numbers;

    public HttpClient Client { get; } = fixture.NewClient();

    /// <summary>A fresh valid US mobile number per call, so tests do not share send limits.</summary>
    public static string NewPhone() => "+1201555" + (1000 + Interlocked.Increment(ref _numbers) % 9000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    public static string NewUserId() => "user-" + Guid.NewGuid().ToString("N");

    public Task<HttpResponseMessage> StartAsync(object body) => Client.PostAsJsonAsync("/api/enrollments", body);

    /// <summary>The path of the last setup link texted to <paramref name="phone"/> (its origin is PublicBaseUrl).</summary>
    public string LinkTextedTo(string phone)
    {
        var text = fixture.Twilio.MessagesTo(phone).Last(m => m.Body.Contains("/s/", StringComparison.Ordinal)).Body;
        return LinkPattern().Match(text).Groups[1].Value;
    }

    public string CodeTextedTo(string phone)
        => CodePattern().Match(fixture.Twilio.MessagesTo(phone)[^1].Body).Groups[1].Value;

    /// <summary>Opens the link as a browser would; returns the setup session cookie ("name=value").</summary>
    public async Task<string> OpenAsync(string linkPath)
    {
        using var response = await Client.GetAsync(linkPath);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/setup", response.Headers.Location?.ToString());
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("s2fa_setup=", StringComparison.Ordinal));
        return cookie.Split(';')[0];
    }

    /// <summary>"Text me a link" for a new user and phone, then opens the texted link.</summary>
    public async Task<(string UserId, string Phone, string Cookie)> StartAndOpenAsync()
    {
        var userId = NewUserId();
        var phone = NewPhone();
        using var started = await StartAsync(new { userId, phone });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return (userId, phone, await OpenAsync(LinkTextedTo(phone)));
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? cookie, string? json = "{}")
    {
        using var request = new HttpRequestMessage(method, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostAsync(string path, string? cookie, object body)
        => SendAsync(HttpMethod.Post, path, cookie, JsonSerializer.Serialize(body));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [GeneratedRegex(@"https?://[^/\s]+(/s/[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"\b(\d{6})\b")]
    private static partial Regex CodePattern();
}
