using System.Net;
using System.Net.Http.Json;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Bot;

/// <summary>The bot's single-use link to the emergency codes (<c>c/{token}</c>): scanners cannot spend it, it shows the codes once.</summary>
[Collection(ServiceCollection.Name)]
public sealed class EmergencyCodesLinkTests(ServiceFixture fixture)
{
    private readonly BotDriver _bot = new(fixture);

    [Fact]
    public async Task Scanners_UseNothingUp_ThePersonSeesTheCodesOnce_AndTheyWork()
    {
        var (userId, phone, link) = await VerifiedByTextAsync();
        var scans = new List<HttpRequestMessage>
        {
            new(HttpMethod.Get, link),
            new(HttpMethod.Head, link),
            new(HttpMethod.Get, link) { Headers = { { "Sec-Purpose", "prefetch" } } },
            new(HttpMethod.Get, link) { Headers = { { "Purpose", "prefetch" } } },
            new(HttpMethod.Get, link) { Headers = { { "User-Agent", "Mozilla/5.0 (compatible; Microsoft Office SafeLinks)" } } },
        };
        foreach (var scan in scans)
        {
            using var response = await _bot.Setup.Client.SendAsync(scan);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(BotDriver.EmergencyCodesIn(await response.Content.ReadAsStringAsync()));
        }

        var codes = await _bot.RevealAsync(link);
        Assert.Equal(5, codes.Count);
        Assert.Equal(5, codes.Distinct().Count());

        using var again = await _bot.Setup.ContinueAsync(link);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Empty(BotDriver.EmergencyCodesIn(await again.Content.ReadAsStringAsync()));
        using var page = await _bot.Setup.Client.GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);

        // The codes shown are the enrollment's: one signs the person in once.
        await _bot.Phone.TextAsync(phone, "SAVED");
        Assert.Contains("done", (await _bot.Phone.TextAsync(phone, "1")).Reply);
        using var started = await _bot.Setup.Client.PostAsJsonAsync("/api/verifications", new { userId });
        var verificationId = (await SetupDriver.JsonAsync(started)).GetProperty("verificationId").GetString();
        using var rescued = await _bot.Setup.Client.PostAsJsonAsync($"/api/verifications/{verificationId}/check", new { userId, code = codes[2] });
        Assert.Equal(HttpStatusCode.OK, rescued.StatusCode);
        Assert.True((await SetupDriver.JsonAsync(rescued)).GetProperty("usedEmergencyCode").GetBoolean());
    }

    [Fact]
    public async Task TwelveParallelPosts_ShowTheCodesOnce()
    {
        var (_, _, link) = await VerifiedByTextAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _bot.Setup.ContinueAsync(link)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(11, responses.Count(r => r.StatusCode == HttpStatusCode.Gone));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Equal(5, bodies.Sum(b => BotDriver.EmergencyCodesIn(b).Count));
    }

    [Theory]
    [InlineData("https://evil.example", "cross-site")]
    [InlineData(null, "cross-site")]
    [InlineData("https://evil.example", null)]
    public async Task CrossSitePost_Is403_AndUsesNothingUp(string? origin, string? fetchSite)
    {
        var (_, _, link) = await VerifiedByTextAsync();

        using var refused = await _bot.Setup.ContinueAsync(link, origin, fetchSite);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Empty(BotDriver.EmergencyCodesIn(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(5, (await _bot.RevealAsync(link)).Count);
    }

    [Fact]
    public async Task ExpiredLink_Is410_WithoutTheCodes()
    {
        var (_, _, link) = await VerifiedByTextAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(16));

        using var page = await _bot.Setup.Client.GetAsync(link);
        using var post = await _bot.Setup.ContinueAsync(link);

        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, post.StatusCode);
        Assert.Empty(BotDriver.EmergencyCodesIn(await post.Content.ReadAsStringAsync()));
    }

    private async Task<(string UserId, string Phone, string Link)> VerifiedByTextAsync()
    {
        var (userId, phone) = await _bot.JoinAsync();
        await _bot.Phone.TextAsync(phone, "1");
        var verified = await _bot.Phone.TextAsync(phone, _bot.Setup.CodeTextedTo(phone));
        Assert.Empty(BotDriver.EmergencyCodesIn(verified.Reply!));
        return (userId, phone, BotDriver.CodesLinkIn(verified.Reply));
    }
}
