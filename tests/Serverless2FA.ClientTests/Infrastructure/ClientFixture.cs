using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless2FA.Client;
using Serverless2FA.IntegrationTests.Fakes;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.ClientTests.Infrastructure;

/// <summary>
/// The service as <see cref="ServiceFixture"/> runs it (local host in-process, Azurite, the Twilio stand-in), and
/// the relying app's client registered as an app registers it, talking to that host.
/// </summary>
public sealed class ClientFixture : ServiceFixture
{
    private readonly List<ServiceProvider> _providers = [];

    /// <summary>The client's log lines (its retries).</summary>
    public CapturingLoggerProvider ClientLogs { get; } = new();

    public IServerless2FAClient Service { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Service = NewClient(new Uri("http://localhost/"), Factory.Server.CreateHandler).GetRequiredService<IServerless2FAClient>();
    }

    public override async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>A client registered with <c>AddServerless2FAClient</c> against <paramref name="baseUrl"/>.</summary>
    public ServiceProvider NewClient(Uri baseUrl, Func<HttpMessageHandler>? primary = null, Action<Serverless2FAClientOptions>? configure = null)
    {
        var provider = Register(ClientLogs, baseUrl, primary, configure);
        _providers.Add(provider);
        return provider;
    }

    /// <summary>
    /// The client as an app registers it (<c>AddServerless2FAClient</c>), its log lines to <paramref name="logs"/>,
    /// talking to <paramref name="baseUrl"/> through <paramref name="primary"/> when given. The caller disposes it.
    /// </summary>
    public static ServiceProvider Register(ILoggerProvider logs, Uri baseUrl, Func<HttpMessageHandler>? primary = null, Action<Serverless2FAClientOptions>? configure = null)
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(logs));
        var http = services.AddServerless2FAClient(o =>
        {
            o.BaseUrl = baseUrl;
            o.FunctionKey = "test-key";
            configure?.Invoke(o);
        });
        if (primary is not null)
        {
            http.ConfigurePrimaryHttpMessageHandler(primary);
        }

        return services.BuildServiceProvider(validateScopes: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ClientCollection : ICollectionFixture<ClientFixture>
{
    public const string Name = "Client";
}
