extern alias demo;

using System.Text.RegularExpressions;
using demo::Serverless2FA.DemoApp.Data;
using demo::Serverless2FA.DemoApp.TwoFactor;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Serverless2FA.Core.Secrets;
using Serverless2FA.IntegrationTests.Fakes;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.BrowserTests.Infrastructure;

/// <summary>
/// The whole journey's parts, each on a real port: the local host (with the Twilio stand-in as Twilio) with
/// <c>Events:WebhookUrl</c> pointed at the demo relying app's <c>/webhooks/serverless2fa</c>; that demo, which finds
/// the service's real <c>events-signing-secret</c> in the local host's secret file as it does beside a laptop's local
/// host, and whose Settings page flips only by the event (its status-read safety net is off); a second demo that
/// receives no events and flips by reading the service's status; and headless Chromium for the computer and phone.
/// Each demo has its own SQLite file.
/// </summary>
public sealed partial class DemoJourneyFixture : IAsyncLifetime
{
    public const string WebhookPath = "/webhooks/serverless2fa";
    private const string FromNumber = "+15005550006";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "s2fa-demo", Guid.NewGuid().ToString("N"));
    private readonly List<WebApplicationFactory<demo::Program>> _demos = [];
    private KestrelLocalHost? _service;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private int _phones;

    public TwilioStandIn Twilio { get; private set; } = null!;

    /// <summary>The demo that receives the service's events.</summary>
    public Uri DemoUrl { get; private set; } = null!;

    /// <summary>The demo without events: its Settings page reads the service's status while it waits.</summary>
    public Uri PollingDemoUrl { get; private set; } = null!;

    public Uri ServiceUrl => _service!.BaseUrl;

    public async Task InitializeAsync()
    {
        if (Chromium.MissingReason is not null)
        {
            return;
        }

        DemoUrl = new Uri($"http://127.0.0.1:{KestrelLocalHost.FreePort()}/");
        PollingDemoUrl = new Uri($"http://127.0.0.1:{KestrelLocalHost.FreePort()}/");
        Twilio = await TwilioStandIn.StartAsync();
        _service = await KestrelLocalHost.StartWithTwilioAsync(Twilio, FromNumber, new Dictionary<string, string?>
        {
            ["Events:WebhookUrl"] = new Uri(DemoUrl, WebhookPath).ToString(),
            ["LocalHost:Queues"] = "true",
            // The host.json poll (at most every 2 s) is what Azure does; a shorter one keeps the journey's waits short.
            ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.5",
        });
        // The local host makes its secret file on first use; made now, the demo takes events from its first request, so
        // nothing but an event can turn its page to On.
        Assert.StartsWith("whsec_", await _service.Services.GetRequiredService<ISecretStore>().GetAsync(SecretNames.EventsSigningSecret, default), StringComparison.Ordinal);

        StartDemo(DemoUrl, "events", new Dictionary<string, string?>
        {
            [EventsSecret.FileSetting] = _service.SecretFile,
            // Only the enrollment.completed event can turn the page to On: no status read while it waits.
            [WaitingStatusReads.Setting] = "00:00:00",
        });
        StartDemo(PollingDemoUrl, "polling", new Dictionary<string, string?>
        {
            // Not even the repository's own .local/secrets.json, should a local host have made one.
            [EventsSecret.FileSetting] = "",
        });

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
        foreach (var demo in _demos)
        {
            await demo.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        if (Twilio is not null)
        {
            await Twilio.DisposeAsync();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>The person's computer, at the demo app that receives events.</summary>
    public Task<BrowserSession> OpenComputerAsync() => OpenAsync(DemoUrl);

    /// <summary>The person's computer, at the demo app without events.</summary>
    public Task<BrowserSession> OpenPollingComputerAsync() => OpenAsync(PollingDemoUrl);

    /// <summary>The demo's own record of the user with <paramref name="email"/>, as its event handler or status read left it.</summary>
    public async Task<DemoUser> DemoUserAsync(Uri demoUrl, string email)
    {
        using var scope = _demos[demoUrl == DemoUrl ? 0 : 1].Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<DemoUser>>().FindByEmailAsync(email)
            ?? throw new InvalidOperationException($"No demo user {email}.");
    }

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

    private void StartDemo(Uri url, string name, Dictionary<string, string?> settings)
    {
        var demo = new WebApplicationFactory<demo::Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting(WebHostDefaults.ServerUrlsKey, url.GetLeftPart(UriPartial.Authority));
            builder.UseSetting("Serverless2FA:BaseUrl", _service!.Origin);
            builder.UseSetting("Demo:Database", Path.Combine(_folder, name, "demo.db"));
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        demo.UseKestrel();
        demo.StartServer();
        _demos.Add(demo);
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
