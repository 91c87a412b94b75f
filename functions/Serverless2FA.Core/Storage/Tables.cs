using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Core.Storage;

/// <summary>
/// The service's tables, each created on first use. Names carry <see cref="StorageOptions.TablePrefix"/>
/// so several test runs can share one Azurite.
/// </summary>
public sealed class Tables(TableServiceClient service, IOptions<StorageOptions> options)
{
    public const string Users = "Users";
    public const string Links = "Links";
    public const string Sessions = "Sessions";
    public const string JoinCodes = "JoinCodes";
    public const string Verifications = "Verifications";
    public const string Phones = "Phones";
    public const string Expiry = "Expiry";
    public const string Outbox = "Outbox";
    public const string Messages = "Messages";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _clients = new();

    public TableServiceClient Service => service;

    public string NameOf(string table) => options.Value.TablePrefix + table;

    public Task<TableClient> GetAsync(string table, CancellationToken cancellationToken = default)
        => _clients.GetOrAdd(table, t => new Lazy<Task<TableClient>>(() => CreateAsync(t))).Value.WaitAsync(cancellationToken);

    private async Task<TableClient> CreateAsync(string table)
    {
        var client = service.GetTableClient(NameOf(table));
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    }
}
