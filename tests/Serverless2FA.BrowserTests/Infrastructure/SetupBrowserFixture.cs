using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Serverless2FA.IntegrationTests.Fakes;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.BrowserTests.Infrastructure;

/// <summary>
/// The local host on a real Kestrel port (a browser cannot reach an in-memory TestServer), with its own
/// in-memory Azurite and the Twilio stand-in as Twilio, and one headless Debian Chromium; started once
/// per collection. <c>PublicBaseUrl</c> is the Kestrel address, so the texted link is the one the
/// person opens, unedited.
/// </summary>
public sealed partial class SetupBrowserFixture : IAsyncLifetime
{
    private const string FromNumber = "+15005550006";

    private KestrelLocalHost? _host;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private int _phones;

    public TwilioStandIn Twilio { get; private set; } = null!;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The relying app's client.</summary>
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Chromium.MissingReason is not null)
        {
            // Nothing to start without a browser; every test fails in OpenBrowserAsync with the reason.
            return;
        }

        Twilio = await TwilioStandIn.StartAsync();
        _host = await KestrelLocalHost.StartWithTwilioAsync(Twilio, FromNumber);
        BaseUrl = _host.BaseUrl;
        // A plain client over the network, as a relying app calls the service.
        Client = _host.NewClient();

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(Chromium.LaunchOptions);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (Twilio is not null)
        {
            await Twilio.DisposeAsync();
        }
    }

    /// <summary>A new person at a new browser (own cookies). Fails, never skips, when Chromium is missing.</summary>
    public async Task<BrowserSession> OpenBrowserAsync()
    {
        if (Chromium.MissingReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        return await BrowserSession.OpenAsync(_browser!, BaseUrl);
    }

    /// <summary>A valid US number no other test uses, so per-number send limits never meet.</summary>
    public string NewPhone() => "+1201555" + (100 + Interlocked.Increment(ref _phones)).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The relying app's "Text me a link"; returns the link the stand-in received for <paramref name="phone"/>.</summary>
    /// <param name="policy">The policy the relying app fixes, if any.</param>
    public async Task<Uri> TextMeALinkAsync(string userId, string phone, string? policy = null)
    {
        var before = Twilio.MessagesTo(phone).Count;
        using var response = await Client.PostAsJsonAsync("api/enrollments", new { userId, phone, policy });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var text = await NextTextAsync(phone, before);
        var link = SetupLink().Match(text);
        Assert.True(link.Success, $"No setup link in the text: {text}");
        return new Uri(link.Value);
    }

    /// <summary>Waits for the text after the first <paramref name="before"/> ones sent to <paramref name="phone"/>.</summary>
    public Task<string> NextTextAsync(string phone, int before) => Twilio.NextMessageToAsync(phone, before);

    [GeneratedRegex(@"https?://\S+/s/[A-Za-z0-9_\-]+")]
    private static partial Regex SetupLink();
}

[CollectionDefinition(Name)]
public sealed class SetupBrowserCollection : ICollectionFixture<SetupBrowserFixture>
{
    public const string Name = "SetupBrowser";
}
