using System.Net;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Enrollment;

/// <summary>
/// The texted link: a GET or HEAD, whoever sends it (the person, a link scanner, a preview, a prefetch), shows the
/// Continue page and uses nothing up; the page's same-origin POST trades the link for the session, once.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class SetupLinkTests(ServiceFixture fixture)
{
    private readonly SetupDriver _driver = new(fixture);

    public static TheoryData<string, string, string> Fetchers() => new()
    {
        { "GET", "", "" },
        { "HEAD", "", "" },
        { "GET", "Sec-Purpose", "prefetch" },
        { "GET", "Sec-Purpose", "prefetch;prerender" },
        { "GET", "Purpose", "prefetch" },
        { "GET", "User-Agent", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)" },
        { "GET", "User-Agent", "WhatsApp/2.23.20.0" },
        { "HEAD", "User-Agent", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)" },
        { "GET", "User-Agent", "Mozilla/5.0 (compatible; Microsoft Safe Links scanner)" },
    };

    [Theory]
    [MemberData(nameof(Fetchers))]
    public async Task Link_FetchedWithoutThePost_ShowsTheContinuePage_AndUsesNothingUp(string method, string header, string value)
    {
        var (userId, link) = await TextALinkAsync();

        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), link);
            if (header.Length > 0)
            {
                request.Headers.TryAddWithoutValidation(header, value);
            }

            using var response = await _driver.Client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.False(response.Headers.Contains("Set-Cookie"));
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            if (method == "GET")
            {
                var page = await response.Content.ReadAsStringAsync();
                Assert.Contains("Continue setting up two-step sign-in", page);
                Assert.Contains("<form method=\"post\">", page);
                Assert.DoesNotContain("<script", page);
                Assert.DoesNotContain("style=", page);
            }
        }

        Assert.Equal("link-sent", await PendingStatusAsync(userId));
        await _driver.OpenAsync(link);
        Assert.Equal("opened", await PendingStatusAsync(userId));
    }

    [Fact]
    public async Task ContinuePage_KeepsTheStrictPolicy_AndAllowsItsFormOnlyToThisOrigin()
    {
        var (_, link) = await TextALinkAsync();

        using var page = await _driver.Client.GetAsync(link);

        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("form-action 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Post_SetsAnHttpOnlyLaxSessionCookie_AndRedirectsToTheSetupPage()
    {
        var (_, link) = await TextALinkAsync();

        using var response = await _driver.ContinueAsync(link);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/setup", response.Headers.Location?.ToString());
        // PublicBaseUrl is http here: the plain name, and not Secure (a browser would drop a Secure cookie over http).
        SetupDriver.AssertSessionCookie(response, "s2fa_setup", secure: false);
    }

    [Fact]
    public async Task Link_AfterThePost_IsGone_ForGetHeadAndPost()
    {
        var (_, link) = await TextALinkAsync();
        await _driver.OpenAsync(link);

        using var get = await _driver.Client.GetAsync(link);
        using var head = await _driver.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, link));
        using var post = await _driver.ContinueAsync(link);

        Assert.All([get, head, post], r => Assert.Equal(HttpStatusCode.Gone, r.StatusCode));
        Assert.All([get, head, post], r => Assert.False(r.Headers.Contains("Set-Cookie")));
        Assert.Equal("text/html", get.Content.Headers.ContentType?.MediaType);
        Assert.Contains("This link has expired or was already used", await get.Content.ReadAsStringAsync());
        Assert.Contains("This link has expired or was already used", await post.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Link_PostedTwelveTimesAtOnce_GivesOneSession()
    {
        var (_, link) = await TextALinkAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _driver.ContinueAsync(link)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.SeeOther));
        Assert.Equal(11, responses.Count(r => r.StatusCode == HttpStatusCode.Gone));
        Assert.Equal(1, responses.Count(r => r.Headers.Contains("Set-Cookie")));
    }

    [Fact]
    public async Task Link_AfterItsLifetime_IsGone_ForGetAndPost()
    {
        var (_, link) = await TextALinkAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        using var get = await _driver.Client.GetAsync(link);
        using var post = await _driver.ContinueAsync(link);

        Assert.Equal(HttpStatusCode.Gone, get.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, post.StatusCode);
        Assert.False(post.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Link_FromAnEarlierRequest_StopsWorkingWhenANewOneIsSent()
    {
        var userId = SetupDriver.NewUserId();
        var phone = SetupDriver.NewPhone();
        await _driver.StartAsync(new { userId, phone });
        var first = _driver.LinkTextedTo(phone);
        await _driver.StartAsync(new { userId, phone });

        using var oldPage = await _driver.Client.GetAsync(first);
        using var oldPost = await _driver.ContinueAsync(first);

        Assert.Equal(HttpStatusCode.Gone, oldPage.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, oldPost.StatusCode);
        await _driver.OpenAsync(_driver.LinkTextedTo(phone));
    }

    [Theory]
    [InlineData("not-a-token!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    public async Task UnknownOrMalformedToken_IsGone(string token)
    {
        using var get = await _driver.Client.GetAsync("/s/" + Uri.EscapeDataString(token));
        using var post = await _driver.ContinueAsync("/s/" + Uri.EscapeDataString(token));

        Assert.Equal(HttpStatusCode.Gone, get.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, post.StatusCode);
    }

    [Theory]
    [InlineData(null, "cross-site")]
    [InlineData(null, "same-site")]
    [InlineData("https://evil.example", null)]
    [InlineData("https://evil.example", "same-origin")]
    [InlineData("http://localhost:7071.evil.example", null)]
    public async Task Post_FromAnotherSite_Is403_AndUsesNothingUp(string? origin, string? fetchSite)
    {
        var (userId, link) = await TextALinkAsync();

        using var response = await _driver.ContinueAsync(link, origin, fetchSite);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:serverless2fa:problem:cross-site", (await SetupDriver.JsonAsync(response)).GetProperty("type").GetString());
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal("link-sent", await PendingStatusAsync(userId));
        await _driver.OpenAsync(link);
    }

    [Theory]
    [InlineData("http://localhost:7071", "same-origin")]
    [InlineData("null", "same-origin")]
    [InlineData(null, null)]
    public async Task Post_FromThisOrigin_OrWithNoSiteToJudge_Opens(string? origin, string? fetchSite)
    {
        var (_, link) = await TextALinkAsync();

        using var response = await _driver.ContinueAsync(link, origin, fetchSite);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/setup/authenticator", "{}")]
    [InlineData("/api/setup/sms", "{}")]
    [InlineData("/api/setup/verify", """{"code":"123456"}""")]
    [InlineData("/api/setup/complete", """{"policy":"every-login","acknowledged":true}""")]
    public async Task SetupPosts_FromAnotherSite_Are403_AndChangeNothing(string path, string json)
    {
        var (_, phone, cookie) = await _driver.StartAndOpenAsync();
        var texts = fixture.Twilio.MessagesTo(phone).Count;

        foreach (var (origin, site) in new[] { ((string?)null, (string?)"cross-site"), (null, "same-site"), ("https://evil.example", null) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("Cookie", cookie);
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }

            if (site is not null)
            {
                request.Headers.Add("Sec-Fetch-Site", site);
            }

            using var response = await _driver.Client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("urn:serverless2fa:problem:cross-site", (await SetupDriver.JsonAsync(response)).GetProperty("type").GetString());
        }

        Assert.Equal(texts, fixture.Twilio.MessagesTo(phone).Count);
        using var state = await _driver.SendAsync(HttpMethod.Get, "/api/setup", cookie, json: null);
        var setup = await SetupDriver.JsonAsync(state);
        Assert.Equal("opened", setup.GetProperty("status").GetString());
        Assert.False(setup.TryGetProperty("method", out _));
    }

    private async Task<(string UserId, string Link)> TextALinkAsync()
    {
        var userId = SetupDriver.NewUserId();
        var phone = SetupDriver.NewPhone();
        using var started = await _driver.StartAsync(new { userId, phone });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return (userId, _driver.LinkTextedTo(phone));
    }

    private async Task<string?> PendingStatusAsync(string userId)
    {
        using var response = await _driver.Client.GetAsync($"/api/users/{userId}/two-factor");
        var status = await SetupDriver.JsonAsync(response);
        return status.GetProperty("pendingEnrollment").GetProperty("status").GetString();
    }
}
