using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Serverless2FA.Functions;

namespace Serverless2FA.IntegrationTests.Expiry;

/// <summary>
/// The app's real registrations (<c>AddServerless2FA</c>) without an HTTP host, pointed at an Azurite
/// and a table prefix, with every Table request recorded by <see cref="Log"/>. For resolving the sweep
/// and its handlers in tests and the sweep benchmark.
/// </summary>
public sealed class SweepServices : IDisposable
{
    private readonly IHost _host;

    public SweepServices(string connectionString, string tablePrefix, TimeProvider time, IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:TablePrefix"] = tablePrefix,
            ["KeyVault:LocalFile"] = Path.Combine(Path.GetTempPath(), "s2fa-sweep", tablePrefix, "secrets.json"),
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddLogging();
        builder.Services.AddSingleton(time);
        builder.AddServerless2FA();
        var options = new TableClientOptions();
        options.AddPolicy(Log, Azure.Core.HttpPipelinePosition.PerRetry);
        builder.Services.RemoveAll<TableServiceClient>();
        builder.Services.AddSingleton(new TableServiceClient(connectionString, options));
        _host = builder.Build();
    }

    public TableRequestLog Log { get; } = new();

    public IServiceProvider Services => _host.Services;

    public void Dispose() => _host.Dispose();
}
