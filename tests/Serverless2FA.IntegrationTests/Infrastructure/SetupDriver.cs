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

    /// <summary>
    /// A fresh valid US mobile number per call, so tests do not share send limits: +1 201 EEE 5NNN with the exchange
    /// EEE from 200 to 599 turning fastest, so 400 numbers in a row lie in 400 different 1,000-number blocks and no
    /// block gathers enough unfinished enrollments to look like SMS pumping. Exchanges 600-999 are left to tests
    /// that want a block of their own.
    /// </summary>
    public static string NewPhone()
    {
        var n = Interlocked.Increment(ref _numbers);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"+1201{200 + n % 400}5{n / 400 % 1000:D3}");
    }

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

    /// <summary>
    /// Opens the link as a person does: the GET shows the Continue page and sets nothing, the button's POST trades
    /// the link for the setup session. Returns the session cookie ("name=value").
    /// </summary>
    public async Task<string> OpenAsync(string linkPath)
    {
        using (var page = await Client.GetAsync(linkPath))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.False(page.Headers.Contains("Set-Cookie"));
        }

        using var response = await ContinueAsync(linkPath);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/setup", response.Headers.Location?.ToString());
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("s2fa_setup=", StringComparison.Ordinal));
        return cookie.Split(';')[0];
    }

    /// <summary>The Continue button: the page's form posted back to the link, as a browser sends it from the page.</summary>
    public Task<HttpResponseMessage> ContinueAsync(string linkPath, string? origin = null, string? fetchSite = "same-origin")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, linkPath) { Content = new FormUrlEncodedContent([]) };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return SendAndDisposeAsync(request);
    }

    /// <summary>
    /// "Text me a link" for <paramref name="userId"/> (a new user by default) and a new phone, then opens the texted
    /// link. An enrolled user needs <paramref name="stepUp"/>.
    /// </summary>
    public async Task<(string UserId, string Phone, string Cookie)> StartAndOpenAsync(string? userId = null, string? stepUp = null)
    {
        userId ??= NewUserId();
        var phone = NewPhone();
        using var started = await StartAsync(new { userId, phone, stepUp });
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

    private async Task<HttpResponseMessage> SendAndDisposeAsync(HttpRequestMessage request)
    {
        using (request)
        {
            return await Client.SendAsync(request);
        }
    }

    public Task<HttpResponseMessage> PostAsync(string path, string? cookie, object body)
        => SendAsync(HttpMethod.Post, path, cookie, JsonSerializer.Serialize(body));

    /// <summary>
    /// Asserts that <paramref name="response"/> sets exactly one cookie, the setup session named <paramref name="name"/>:
    /// HttpOnly, SameSite=Lax, Path=/, no Domain, Secure exactly when <paramref name="secure"/>. Returns its value.
    /// </summary>
    public static string AssertSessionCookie(HttpResponseMessage response, string name, bool secure)
    {
        var cookie = response.Headers.GetValues("Set-Cookie").Single();
        var parts = cookie.Split(';', StringSplitOptions.TrimEntries);
        Assert.StartsWith(name + "=", parts[0], StringComparison.Ordinal);
        var attributes = parts.Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.Contains("path=/", attributes);
        Assert.Equal(secure, attributes.Contains("secure"));
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain=", StringComparison.Ordinal));
        return parts[0][(name.Length + 1)..];
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [GeneratedRegex(@"https?://[^/\s]+(/s/[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"\b(\d{6})\b")]
    private static partial Regex CodePattern();
}
