extern alias local;

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using Serverless2FA.Local.Azurite;

namespace Serverless2FA.BrowserTests.Infrastructure;

/// <summary>
/// The local host as a newcomer runs it: no Twilio settings at all (outbox mode, a fresh local secret file whose
/// generated auth token the simulator signs with), on a real Kestrel port, with Chromium.
/// </summary>
public sealed class PhoneSimulatorFixture : IAsyncLifetime
{
    private readonly string _secrets = Path.Combine(Path.GetTempPath(), "s2fa-browser", Guid.NewGuid().ToString("N"), "secrets.json");
    private AzuriteInstance? _azurite;
    private WebApplicationFactory<local::Program>? _factory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri BaseUrl { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Chromium.MissingReason is not null)
        {
            return;
        }

        _azurite = await new AzuriteLauncher().StartAsync(new AzuriteLaunchOptions { Port = 0, InMemory = true });
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        }

        var origin = BaseUrl.GetLeftPart(UriPartial.Authority);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = _azurite.ConnectionString,
            ["Storage:TablePrefix"] = "p" + Guid.NewGuid().ToString("N")[..12],
            ["LocalHost:Timers"] = "false",
            [WebHostDefaults.ServerUrlsKey] = origin,
            ["PublicBaseUrl"] = origin,
            ["KeyVault:LocalFile"] = _secrets,
        };
        _factory = new WebApplicationFactory<local::Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        _factory.UseKestrel();
        _factory.StartServer();
        Client = new HttpClient { BaseAddress = BaseUrl };
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
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        var folder = Path.GetDirectoryName(_secrets)!;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
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
