extern alias local;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Serverless2FA.Local.Azurite;

namespace Serverless2FA.IntegrationTests.Infrastructure;

/// <summary>
/// The local host in-process (<see cref="WebApplicationFactory{TEntryPoint}"/>) against its own
/// in-memory Azurite, started once per test collection. Timers and queue listeners are off: tests run a timer
/// function with <c>POST admin/functions/{name}</c>. Derive to add settings or services.
/// </summary>
public class LocalHostFixture : IAsyncLifetime
{
    public AzuriteInstance Azurite { get; protected set; } = null!;

    public string StorageConnectionString => Azurite.ConnectionString;

    /// <summary>Unique per fixture (letters and digits, as table names need), so runs sharing an Azurite do not collide.</summary>
    public string TablePrefix { get; } = "t" + Guid.NewGuid().ToString("N")[..12];

    public WebApplicationFactory<local::Program> Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Azurite = await StartAzuriteAsync();
        Factory = CreateFactory(Settings());
        Client = Factory.CreateClient();
    }

    /// <summary>A host with <paramref name="settings"/> and this fixture's <see cref="ConfigureWebHost"/>; the caller disposes it.</summary>
    public WebApplicationFactory<local::Program> CreateFactory(IDictionary<string, string?> settings)
        => new WebApplicationFactory<local::Program>().WithWebHostBuilder(builder =>
        {
            // UseSetting, not ConfigureAppConfiguration: Program reads these before it builds the app.
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            ConfigureWebHost(builder);
        });

    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }

    /// <summary>The Azurite the host uses: by default its own, in memory, on a free port.</summary>
    protected virtual Task<AzuriteInstance> StartAzuriteAsync()
        => new AzuriteLauncher().StartAsync(new AzuriteLaunchOptions { Port = 0, InMemory = true });

    /// <summary>Settings the host starts with; override and add to the base dictionary.</summary>
    protected virtual IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["Storage:ConnectionString"] = StorageConnectionString,
        ["Storage:TablePrefix"] = TablePrefix,
        ["LocalHost:Timers"] = "false",
        // Off unless a fixture delivers events: an idle listener per fixture would only poll.
        ["LocalHost:Queues"] = "false",
    };

    /// <summary>Hook for services and test doubles (e.g. <c>builder.ConfigureServices</c>).</summary>
    protected virtual void ConfigureWebHost(IWebHostBuilder builder)
    {
    }
}

[CollectionDefinition(Name)]
public sealed class LocalHostCollection : ICollectionFixture<LocalHostFixture>
{
    public const string Name = "LocalHost";
}
