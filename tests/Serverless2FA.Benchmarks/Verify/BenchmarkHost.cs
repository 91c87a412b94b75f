extern alias local;

using System.Net;
using System.Net.Sockets;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless2FA.Core.Secrets;
using Serverless2FA.IntegrationTests.Fakes;
using Serverless2FA.Local.Azurite;

namespace Serverless2FA.Benchmarks.Verify;

/// <summary>
/// The local host on a real Kestrel port, against an in-memory Azurite, the Twilio stand-in and a counting Key Vault,
/// with a <c>TableServiceClient</c> whose pipeline counts round trips.
/// </summary>
internal sealed class BenchmarkHost : IAsyncDisposable
{
    private AzuriteInstance? _azurite;
    private TwilioStandIn? _twilio;
    private WebApplicationFactory<local::Program>? _factory;
    private HttpClient? _vaultHttp;

    public BenchmarkHost() => TableOps = new TableOpCounter(TablePrefix);

    public TableOpCounter TableOps { get; }

    public CountingKeyVault Vault { get; } = new();

    public TwilioStandIn Twilio => _twilio!;

    public string ConnectionString => _azurite!.ConnectionString;

    public string TablePrefix { get; } = "v" + Guid.NewGuid().ToString("N")[..12];

    public Uri BaseUrl { get; private set; } = null!;

    public async Task StartAsync()
    {
        _azurite = await new AzuriteLauncher().StartAsync(new AzuriteLaunchOptions { Port = 0, InMemory = true, AccessLog = false });
        _twilio = await TwilioStandIn.StartAsync();
        Vault.Set(SecretNames.LookupKey, CountingKeyVault.NewKey());
        Vault.Set(SecretNames.DataKeys, "{\"active\":\"v1\",\"keys\":{\"v1\":\"" + CountingKeyVault.NewKey() + "\"}}");
        _vaultHttp = new HttpClient(Vault);

        BaseUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = ConnectionString,
            ["Storage:TablePrefix"] = TablePrefix,
            ["LocalHost:Timers"] = "false",
            [WebHostDefaults.ServerUrlsKey] = BaseUrl.GetLeftPart(UriPartial.Authority),
            ["PublicBaseUrl"] = BaseUrl.GetLeftPart(UriPartial.Authority),
            ["KeyVault:Uri"] = Vault.VaultUri.ToString(),
            ["Twilio:AccountSid"] = _twilio.AccountSid,
            ["Twilio:AuthToken"] = _twilio.AuthToken,
            ["Twilio:FromNumber"] = "+15005550006",
            ["Twilio:ApiBaseUrl"] = _twilio.BaseUrl.ToString(),
            ["Logging:LogLevel:Default"] = "Error",
        };
        _factory = new WebApplicationFactory<local::Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            // A program run, unlike a test run, gets no content root from the test manifest: name it.
            builder.UseContentRoot(Path.Combine(RepositoryRoot(), "functions", "Serverless2FA.Local"));

            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<TableServiceClient>();
                services.AddSingleton(_ =>
                {
                    var options = new TableClientOptions();
                    options.AddPolicy(TableOps, Azure.Core.HttpPipelinePosition.PerCall);
                    return new TableServiceClient(ConnectionString, options);
                });
                services.RemoveAll<SecretClient>();
                services.AddSingleton(_ => new SecretClient(Vault.VaultUri, new CountingKeyVault.Credential(), new SecretClientOptions
                {
                    Transport = new HttpClientTransport(_vaultHttp),
                    DisableChallengeResourceVerification = true,
                }));
            });
        });
        _factory.UseKestrel();
        _factory.StartServer();
    }

    public HttpClient NewClient() => new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseUrl };

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        _vaultHttp?.Dispose();
        if (_twilio is not null)
        {
            await _twilio.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless2FA.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository (no Serverless2FA.sln above " + AppContext.BaseDirectory + ").");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
