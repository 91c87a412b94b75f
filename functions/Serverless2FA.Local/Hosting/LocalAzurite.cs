using Serverless2FA.Local.Azurite;

namespace Serverless2FA.Local.Hosting;

/// <summary>Starts Azurite for the local host when no storage is configured, and stops it with the host.</summary>
internal static class LocalAzurite
{
    public static async Task<WebApplicationBuilder> UseAzuriteWhenNoStorageAsync(this WebApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        var configuration = builder.Configuration;
        if (!string.IsNullOrEmpty(configuration["Storage:ConnectionString"]) || !string.IsNullOrEmpty(configuration["Storage:TableServiceUri"]))
        {
            return builder;
        }

        // The host's logging does not exist before Build; this factory lives as long as Azurite does.
        var loggerFactory = LoggerFactory.Create(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(console => console.SingleLine = true));
        AzuriteInstance azurite;
        try
        {
            azurite = await new AzuriteLauncher(loggerFactory.CreateLogger<AzuriteLauncher>()).StartAsync(
                new AzuriteLaunchOptions { RepositoryRoot = RepositoryRoot.Locate(builder.Environment.ContentRootPath) },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            loggerFactory.Dispose();
            throw;
        }

        configuration.AddInMemoryCollection([KeyValuePair.Create("Storage:ConnectionString", (string?)azurite.ConnectionString)]);
        builder.Services.AddHostedService(_ => new AzuriteLifetime(azurite, loggerFactory));
        return builder;
    }

    /// <summary>Registered before the app's services, so it stops last.</summary>
    private sealed class AzuriteLifetime(AzuriteInstance azurite, ILoggerFactory loggerFactory) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            loggerFactory.Dispose();
        }
    }
}
