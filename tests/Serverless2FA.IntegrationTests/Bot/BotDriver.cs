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

    /// <summary>The path of the emergency-codes link in a reply ("/c/…"); fails when there is none.</summary>
    public static string CodesLinkIn(string? reply)
    {
        var match = CodesLink().Match(reply ?? "");
        Assert.True(match.Success, "No emergency-codes link in: " + reply);
        return match.Groups[1].Value;
    }

    /// <summary>Opens a codes link as a person does: the Continue page, then its button. Returns the codes shown.</summary>
    public async Task<IReadOnlyList<string>> RevealAsync(string linkPath)
    {
        using (var page = await Setup.Client.GetAsync(linkPath))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Show my codes", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var shown = await Setup.ContinueAsync(linkPath);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        return EmergencyCodesIn(await shown.Content.ReadAsStringAsync());
    }

    /// <summary>Every reply and every text the service sent <paramref name="phone"/>: none may hold an emergency code.</summary>
    public static void AssertNoEmergencyCodeTexted(IServiceFixture fixture, string phone, IEnumerable<BotAnswer> replies)
    {
        foreach (var text in fixture.Twilio.MessagesTo(phone).Select(m => m.Body).Concat(replies.Select(r => r.Reply ?? "")))
        {
            Assert.Empty(EmergencyCodesIn(text));
            Assert.True(text.Length <= 160, text);
        }
    }

    [GeneratedRegex(@"https?://[^/\s]+(/c/[A-Za-z0-9_-]+)")]
    private static partial Regex CodesLink();

    [GeneratedRegex(@"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b")]
    private static partial Regex EmergencyCode();
}
