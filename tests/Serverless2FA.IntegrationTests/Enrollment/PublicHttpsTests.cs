using System.Net;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Enrollment;

/// <summary>
/// The service as it is deployed: PublicBaseUrl is https, and an operator chasing a problem has turned every log
/// category up to Trace.
/// </summary>
public sealed class PublicHttpsFixture : ServiceFixture
{
    public const string Origin = "https://2fa.example.com";

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["PublicBaseUrl"] = Origin;
        settings["Logging:LogLevel:Default"] = "Trace";
        settings["Logging:LogLevel:Microsoft"] = "Trace";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace";
        return settings;
    }
}

[CollectionDefinition(Name)]
public sealed class PublicHttpsCollection : ICollectionFixture<PublicHttpsFixture>
{
    public const string Name = "PublicHttps";
}

[Collection(PublicHttpsCollection.Name)]
public sealed class PublicHttpsTests(PublicHttpsFixture fixture)
{
    private readonly SetupDriver _driver = new(fixture);

    [Fact]
    public async Task Post_SetsAHostPrefixedSecureCookie_WhichAloneOpensTheSetup()
    {
        var link = await TextALinkAsync();

        using var response = await _driver.ContinueAsync(link, origin: PublicHttpsFixture.Origin);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var value = SetupDriver.AssertSessionCookie(response, "__Host-s2fa_setup", secure: true);
        using var withHostCookie = await _driver.SendAsync(HttpMethod.Get, "/api/setup", "__Host-s2fa_setup=" + value, json: null);
        using var withPlainCookie = await _driver.SendAsync(HttpMethod.Get, "/api/setup", "s2fa_setup=" + value, json: null);
        Assert.Equal(HttpStatusCode.OK, withHostCookie.StatusCode);
        // A plain-named cookie could have been planted by a sibling subdomain or over http: it is not the session.
        Assert.Equal(HttpStatusCode.Unauthorized, withPlainCookie.StatusCode);
    }

    [Fact]
    public async Task Post_FromTheHttpOrigin_IsAnotherOrigin_AndRefused()
    {
        var link = await TextALinkAsync();

        using var response = await _driver.ContinueAsync(link, origin: "http://2fa.example.com", fetchSite: null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task LinkTokens_AppearInNoLogLine_EvenAtTrace()
    {
        var link = await TextALinkAsync();
        var token = link["/s/".Length..];

        using (await _driver.Client.GetAsync(link))
        using (await _driver.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, link)))
        using (var opened = await _driver.ContinueAsync(link, origin: PublicHttpsFixture.Origin))
        using (await _driver.ContinueAsync(link, origin: PublicHttpsFixture.Origin))
        using (await _driver.Client.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.SeeOther, opened.StatusCode);
        }

        var lines = fixture.Logs.Lines;
        // Trace really is on for ASP.NET Core: the endpoint it ran is logged, by name.
        Assert.Contains(lines, l => l.Contains("Executing endpoint", StringComparison.Ordinal) && l.Contains("ShowSetupLink", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Executing endpoint", StringComparison.Ordinal) && l.Contains("OpenSetupLink", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(token, StringComparison.Ordinal));
    }

    private async Task<string> TextALinkAsync()
    {
        var phone = SetupDriver.NewPhone();
        using var started = await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Contains(PublicHttpsFixture.Origin + "/s/", fixture.Twilio.MessagesTo(phone)[^1].Body);
        return _driver.LinkTextedTo(phone);
    }
}
