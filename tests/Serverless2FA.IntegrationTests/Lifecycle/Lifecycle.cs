using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Lifecycle;

/// <summary>What the factor-lifecycle tests do over and over: a step-up, a replacement started, an answer's problem type.</summary>
internal static class Lifecycle
{
    public const string ProblemPrefix = "urn:serverless2fa:problem:";

    /// <summary>"Text me a link" to <paramref name="phone"/> for an enrolled user, with <paramref name="stepUp"/>.</summary>
    public static Task<HttpResponseMessage> ReplaceAsync(EnrolledUser user, string phone, string? stepUp)
        => user.Client.PostAsJsonAsync("/api/enrollments", new { userId = user.UserId, phone, stepUp });

    /// <summary>The problem's <c>type</c>, after checking the status and that it is problem+json.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(ProblemPrefix + type, body.GetProperty("type").GetString());
        return body;
    }

    /// <summary>Opens the link texted to <paramref name="phone"/>, sets up codes by text and finishes with <paramref name="policy"/>.</summary>
    public static async Task<HttpResponseMessage> FinishBySmsAsync(SetupDriver driver, string phone, string policy = "every-login")
    {
        var cookie = await driver.OpenAsync(driver.LinkTextedTo(phone));
        using (var sent = await driver.SendAsync(HttpMethod.Post, "/api/setup/sms", cookie))
        {
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }

        using (var verified = await driver.PostAsync("/api/setup/verify", cookie, new { code = driver.CodeTextedTo(phone) }))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        return await driver.PostAsync("/api/setup/complete", cookie, new { policy, acknowledged = true });
    }

    public static async Task<List<(string Event, string? Detail)>> AuditAsync(EnrolledUser user)
    {
        using var response = await user.Client.GetAsync($"/api/users/{user.UserId}/two-factor/audit");
        var body = await SetupDriver.JsonAsync(response);
        return [.. body.GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("event").GetString()!, e.TryGetProperty("detail", out var d) ? d.GetString() : null))];
    }
}
