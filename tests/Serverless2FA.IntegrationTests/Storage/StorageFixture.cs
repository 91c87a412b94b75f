using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Storage;
using Serverless2FA.IntegrationTests.Expiry;
using Serverless2FA.Local.Azurite;

namespace Serverless2FA.IntegrationTests.Storage;

/// <summary>The storage seam alone over its own Azurite, every Table request recorded: for the concurrency rules.</summary>
public sealed class StorageFixture : IAsyncLifetime
{
    private AzuriteInstance _azurite = null!;

    internal Tables Tables { get; private set; } = null!;

    internal Optimistic Optimistic { get; private set; } = null!;

    /// <summary>A client of the same Azurite that is not the seam's: a writer racing the service.</summary>
    internal TableServiceClient Racer { get; private set; } = null!;

    public TableRequestLog Log { get; } = new();

    public TimeProvider Clock { get; } = TimeProvider.System;

    public async Task InitializeAsync()
    {
        _azurite = await new AzuriteLauncher().StartAsync(new AzuriteLaunchOptions { Port = 0, InMemory = true });
        var options = new TableClientOptions();
        options.AddPolicy(Log, Azure.Core.HttpPipelinePosition.PerRetry);
        var storage = Microsoft.Extensions.Options.Options.Create(new StorageOptions { TablePrefix = "o" + Guid.NewGuid().ToString("N")[..12] });
        Tables = new Tables(new TableServiceClient(_azurite.ConnectionString, options), storage);
        Optimistic = new Optimistic(Tables, new ExpiryIndex(Tables, Clock), Clock);
        Racer = new TableServiceClient(_azurite.ConnectionString);
    }

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    /// <summary>The racer's client of <paramref name="table"/>.</summary>
    internal TableClient RacerOf(string table) => Racer.GetTableClient(Tables.NameOf(table));
}
