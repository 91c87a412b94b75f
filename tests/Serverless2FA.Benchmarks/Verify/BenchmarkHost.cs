using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless2FA.Core.Secrets;
using Serverless2FA.IntegrationTests.Fakes;
using Serverless2FA.IntegrationTests.Infrastructure;
using Serverless2FA.Local.Azurite;

namespace Serverless2FA.Benchmarks.Verify;

/// <summary>
/// The local host on a real Kestrel port (<see cref="KestrelLocalHost"/>), against an in-memory Azurite, the Twilio stand-in and a counting Key Vault,
/// with a <c>TableServiceClient</c> whose pipeline counts round trips.
/// </summary>
internal sealed class BenchmarkHost : IAsyncDisposable
{
    private KestrelLocalHost? _host;
    private TwilioStandIn? _twilio;
    private HttpClient? _vaultHttp;

    public BenchmarkHost() => TableOps = new TableOpCounter(TablePrefix);

    public TableOpCounter TableOps { get; }

    public CountingKeyVault Vault { get; } = new();

    public TwilioStandIn Twilio => _twilio!;

    public string ConnectionString => _host!.StorageConnectionString;

    public string TablePrefix { get; } = "v" + Guid.NewGuid().ToString("N")[..12];

    public Uri BaseUrl => _host!.BaseUrl;

    /// <param name="extraSettings">Settings a benchmark needs besides these (say, sending limits high enough for its load).</param>
    public async Task StartAsync(IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        _twilio = await TwilioStandIn.StartAsync();
        Vault.Set(SecretNames.LookupKey, CountingKeyVault.NewKey());
        Vault.Set(SecretNames.DataKeys, "{\"active\":\"v1\",\"keys\":{\"v1\":\"" + CountingKeyVault.NewKey() + "\"}}");
        _vaultHttp = new HttpClient(Vault);

        var settings = new Dictionary<string, string?>
        {
            ["Storage:TablePrefix"] = TablePrefix,
            ["KeyVault:Uri"] = Vault.VaultUri.ToString(),
            ["Twilio:AccountSid"] = _twilio.AccountSid,
            ["Twilio:AuthToken"] = _twilio.AuthToken,
            ["Twilio:FromNumber"] = "+15005550006",
            ["Twilio:ApiBaseUrl"] = _twilio.BaseUrl.ToString(),
            ["Logging:LogLevel:Default"] = "Error",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        _host = await KestrelLocalHost.StartAsync(settings, (host, builder) =>
        {
            // A program run, unlike a test run, gets no content root from the test manifest: name it.
            builder.UseContentRoot(Path.Combine(RepositoryFiles.Root, "functions", "Serverless2FA.Local"));

            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<TableServiceClient>();
                services.AddSingleton(_ =>
                {
                    var options = new TableClientOptions();
                    options.AddPolicy(TableOps, Azure.Core.HttpPipelinePosition.PerCall);
                    return new TableServiceClient(host.StorageConnectionString, options);
                });
                services.RemoveAll<SecretClient>();
                services.AddSingleton(_ => new SecretClient(Vault.VaultUri, new CountingKeyVault.Credential(), new SecretClientOptions
                {
                    Transport = new HttpClientTransport(_vaultHttp),
                    DisableChallengeResourceVerification = true,
                }));
            });
        },
        // The emulator's access log costs it CPU per request, which would weigh on the figures.
        new AzuriteLaunchOptions { Port = 0, InMemory = true, AccessLog = false });
    }

    public HttpClient NewClient() => new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseUrl };

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _vaultHttp?.Dispose();
        if (_twilio is not null)
        {
            await _twilio.DisposeAsync();
        }
    }
}
