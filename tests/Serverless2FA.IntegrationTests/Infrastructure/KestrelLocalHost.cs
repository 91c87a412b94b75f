extern alias local;

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Serverless2FA.IntegrationTests.Fakes;
using Serverless2FA.Local.Azurite;

namespace Serverless2FA.IntegrationTests.Infrastructure;

/// <summary>
/// The local host on a real Kestrel port (a browser or a load driver cannot reach an in-memory TestServer), with its
/// own in-memory Azurite, a fresh table prefix and a fresh local secret file. <c>PublicBaseUrl</c> is the Kestrel
/// origin, so texted links and Twilio signatures use the address clients call.
/// </summary>
public sealed class KestrelLocalHost : IAsyncDisposable
{
    private readonly string _secrets = Path.Combine(Path.GetTempPath(), "s2fa-kestrel", Guid.NewGuid().ToString("N"), "secrets.json");
    private AzuriteInstance? _azurite;
    private WebApplicationFactory<local::Program>? _factory;

    private KestrelLocalHost()
    {
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The origin without a trailing slash, as <c>PublicBaseUrl</c> is set.</summary>
    public string Origin => BaseUrl.GetLeftPart(UriPartial.Authority);

    public string StorageConnectionString => _azurite!.ConnectionString;

    public string TablePrefix { get; private set; } = "k" + Guid.NewGuid().ToString("N")[..12];

    public IServiceProvider Services => _factory!.Services;

    /// <summary>The local secret file this host reads (and makes on first use), as <c>.local/secrets.json</c> is for a laptop run.</summary>
    public string SecretFile => _secrets;

    /// <param name="settings">Settings on top of storage, table prefix, timers and queue listeners off, address and secret file.</param>
    /// <param name="configure">Further host configuration (test services, content root); it may read the started host.</param>
    /// <param name="azurite">How to start Azurite; in memory on a free port when null.</param>
    public static async Task<KestrelLocalHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<KestrelLocalHost, IWebHostBuilder>? configure = null,
        AzuriteLaunchOptions? azurite = null)
    {
        var host = new KestrelLocalHost();
        host._azurite = await new AzuriteLauncher().StartAsync(azurite ?? new AzuriteLaunchOptions { Port = 0, InMemory = true });
        host.BaseUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
        var all = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = host.StorageConnectionString,
            ["Storage:TablePrefix"] = host.TablePrefix,
            ["LocalHost:Timers"] = "false",
            ["LocalHost:Queues"] = "false",
            // The host's own default (localhost:7071) applies only when no address is set.
            [WebHostDefaults.ServerUrlsKey] = host.Origin,
            ["PublicBaseUrl"] = host.Origin,
            ["KeyVault:LocalFile"] = host._secrets,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        host.TablePrefix = all["Storage:TablePrefix"]!;

        host._factory = new WebApplicationFactory<local::Program>().WithWebHostBuilder(builder =>
        {
            // UseSetting, not ConfigureAppConfiguration: Program reads these before it builds the app.
            foreach (var (key, value) in all)
            {
                builder.UseSetting(key, value);
            }

            configure?.Invoke(host, builder);
        });
        host._factory.UseKestrel();
        host._factory.StartServer();
        return host;
    }

    /// <summary>Started with <paramref name="twilio"/> as Twilio, texting from <paramref name="fromNumber"/>, and <paramref name="settings"/> on top.</summary>
    public static Task<KestrelLocalHost> StartWithTwilioAsync(TwilioStandIn twilio, string fromNumber, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = twilio.AccountSid,
            ["Twilio:AuthToken"] = twilio.AuthToken,
            ["Twilio:FromNumber"] = fromNumber,
            ["Twilio:ApiBaseUrl"] = twilio.BaseUrl.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return StartAsync(all);
    }

    /// <summary>A plain client over the network, as a relying app calls the service.</summary>
    public HttpClient NewClient(HttpMessageHandler? handler = null)
        => new(handler ?? new SocketsHttpHandler()) { BaseAddress = BaseUrl };

    public async ValueTask DisposeAsync()
    {
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

    /// <summary>A loopback port free at the time of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
