extern alias demo;

using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using Serverless2FA.IntegrationTests.Fakes;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.BrowserTests.Infrastructure;

/// <summary>
/// The whole journey's parts, each on a real port: the local host (with the Twilio stand-in as Twilio), the demo
/// relying app pointed at it (its own SQLite file), and headless Chromium for the person's computer and phone.
/// </summary>
public sealed partial class DemoJourneyFixture : IAsyncLifetime
{
    private const string FromNumber = "+15005550006";
    private readonly string _database = Path.Combine(Path.GetTempPath(), "s2fa-demo", Guid.NewGuid().ToString("N"), "demo.db");
    private KestrelLocalHost? _service;
    private WebApplicationFactory<demo::Program>? _demo;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private int _phones;

    public TwilioStandIn Twilio { get; private set; } = null!;

    public Uri DemoUrl { get; private set; } = null!;

    public Uri ServiceUrl => _service!.BaseUrl;

    public async Task InitializeAsync()
    {
        if (Chromium.MissingReason is not null)
        {
            return;
        }

        Twilio = await TwilioStandIn.StartAsync();
        _service = await KestrelLocalHost.StartWithTwilioAsync(Twilio, FromNumber);

        DemoUrl = new Uri($"http://127.0.0.1:{KestrelLocalHost.FreePort()}/");
        _demo = new WebApplicationFactory<demo::Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting(WebHostDefaults.ServerUrlsKey, DemoUrl.GetLeftPart(UriPartial.Authority));
            builder.UseSetting("Serverless2FA:BaseUrl", _service.Origin);
            builder.UseSetting("Demo:Database", _database);
        });
        _demo.UseKestrel();
        _demo.StartServer();

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
        if (_demo is not null)
        {
            await _demo.DisposeAsync();
        }

        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        if (Twilio is not null)
        {
            await Twilio.DisposeAsync();
        }

        var folder = Path.GetDirectoryName(_database)!;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The person's computer, at the demo app.</summary>
    public Task<BrowserSession> OpenComputerAsync() => OpenAsync(DemoUrl);

    /// <summary>The person's phone, where the texted link opens.</summary>
    public Task<BrowserSession> OpenPhoneAsync() => OpenAsync(ServiceUrl);

    /// <summary>A valid US number no other test uses.</summary>
    public string NewPhone() => "+1201555" + (7000 + Interlocked.Increment(ref _phones)).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits for the text after the first <paramref name="before"/> ones sent to <paramref name="phone"/>.</summary>
    public Task<string> NextTextAsync(string phone, int before) => Twilio.NextMessageToAsync(phone, before);

    public static string LinkIn(string text)
    {
        var link = SetupLink().Match(text);
        Assert.True(link.Success, $"No setup link in the text: {text}");
        return link.Value;
    }

    public static string CodeIn(string text)
    {
        var code = SixDigits().Match(text);
        Assert.True(code.Success, $"No 6-digit code in the text: {text}");
        return code.Value;
    }

    private async Task<BrowserSession> OpenAsync(Uri baseUrl)
        => Chromium.MissingReason is { } reason
            ? throw new InvalidOperationException(reason)
            : await BrowserSession.OpenAsync(_browser!, baseUrl);

    [GeneratedRegex(@"https?://\S+/s/[A-Za-z0-9_\-]+")]
    private static partial Regex SetupLink();

    [GeneratedRegex(@"(?<!\d)\d{6}(?!\d)")]
    private static partial Regex SixDigits();
}

[CollectionDefinition(Name)]
public sealed class DemoJourneyCollection : ICollectionFixture<DemoJourneyFixture>
{
    public const string Name = "DemoJourney";
}
