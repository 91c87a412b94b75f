using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Bot;

/// <summary>Enrollment by text as the relying app and the person's phone drive it.</summary>
public sealed partial class BotDriver(IServiceFixture fixture)
{
    public const string PublicBaseUrl = "http://localhost:7071";

    public SetupDriver Setup { get; } = new(fixture);

    public BotPhone Phone { get; } = new(fixture.NewClient(), fixture.Twilio.AuthToken, PublicBaseUrl, ServiceFixture.FromNumber);

    /// <summary>POST api/enrollments without a phone; returns the join code.</summary>
    public async Task<(string UserId, string JoinCode, JsonElement Body)> StartByTextAsync(string? locale = null, string? policy = null)
    {
        var userId = SetupDriver.NewUserId();
        using var started = await Setup.StartAsync(new { userId, locale, policy });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var body = await SetupDriver.JsonAsync(started);
        return (userId, body.GetProperty("joinCode").GetString()!, body);
    }

    /// <summary>Starts by text for a new user and joins from a new phone.</summary>
    public async Task<(string UserId, string Phone)> JoinAsync(string? locale = null, string? policy = null)
    {
        var (userId, code, _) = await StartByTextAsync(locale, policy);
        var phone = SetupDriver.NewPhone();
        var joined = await Phone.TextAsync(phone, "JOIN " + code);
        Assert.Contains(locale == "es" ? "vinculado" : "phone linked", joined.Reply);
        return (userId, phone);
    }

    public async Task<JsonElement> StatusAsync(string userId)
    {
        using var response = await Setup.Client.GetAsync($"/api/users/{userId}/two-factor");
        return await SetupDriver.JsonAsync(response);
    }

    public static IReadOnlyList<string> EmergencyCodesIn(string reply) => [.. EmergencyCode().Matches(reply).Select(m => m.Value)];

    [GeneratedRegex(@"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b")]
    private static partial Regex EmergencyCode();
}
