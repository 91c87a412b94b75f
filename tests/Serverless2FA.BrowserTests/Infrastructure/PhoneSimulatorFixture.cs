using Microsoft.Playwright;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.BrowserTests.Infrastructure;

/// <summary>
/// The local host as a newcomer runs it: no Twilio settings at all (outbox mode, a fresh local secret file whose
/// generated auth token the simulator signs with), on a real Kestrel port, with Chromium.
/// </summary>
public sealed class PhoneSimulatorFixture : IAsyncLifetime
{
    private KestrelLocalHost? _host;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri BaseUrl => _host!.BaseUrl;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _host!.Services;

    public async Task InitializeAsync()
    {
        if (Chromium.MissingReason is not null)
        {
            return;
        }

        _host = await KestrelLocalHost.StartAsync(new Dictionary<string, string?>
        {
            // A receiver that is not there: events show as retrying, which is what a newcomer without one sees.
            ["Events:WebhookUrl"] = "http://127.0.0.1:9/hooks/2fa",
            ["LocalHost:Queues"] = "true",
        });
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
    }

    public async Task<BrowserSession> OpenBrowserAsync()
        => Chromium.MissingReason is { } reason
            ? throw new InvalidOperationException(reason)
            : await BrowserSession.OpenAsync(_browser!, BaseUrl);
}

[CollectionDefinition(Name)]
public sealed class PhoneSimulatorCollection : ICollectionFixture<PhoneSimulatorFixture>
{
    public const string Name = "PhoneSimulator";
}
