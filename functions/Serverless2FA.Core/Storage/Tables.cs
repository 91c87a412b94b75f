using System.Collections.Concurrent;
using Azure;
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
    /// <summary>The sweep's cursor. The index rows themselves live in one table per due day: <see cref="ExpiryDay"/>.</summary>
    public const string Expiry = "Expiry";
    public const string Outbox = "Outbox";
    public const string Messages = "Messages";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _clients = new();

    public TableServiceClient Service => service;

    /// <summary>
    /// The expiry index table of one UTC due day ("yyyyMMdd"), e.g. "Expiry20250331". A day per table is Table
    /// Storage's high-volume delete pattern: once the sweep is past a day, one DeleteTable removes all its rows,
    /// and the table the sweep deletes rows from never holds more than one day's entries.
    /// </summary>
    public static string ExpiryDay(string day) => Expiry + day;

    /// <summary>The cursor table or an index day table: never a target for a handler to delete from.</summary>
    public static bool IsExpiry(string table) => table.StartsWith(Expiry, StringComparison.Ordinal);

    public string NameOf(string table) => options.Value.TablePrefix + table;

    /// <summary>
    /// A client for <paramref name="table"/>, created on first use. Concurrent first uses share one creation; a creation
    /// that failed (storage down) is forgotten, so the next call tries again instead of failing for ever.
    /// </summary>
    public async Task<TableClient> GetAsync(string table, CancellationToken cancellationToken = default)
    {
        var entry = _clients.GetOrAdd(table, t => new Lazy<Task<TableClient>>(() => CreateAsync(t)));
        try
        {
            return await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (entry.Value.IsFaulted || entry.Value.IsCanceled)
        {
            // Only this entry: a newer creation another caller started meanwhile stays.
            _clients.TryRemove(KeyValuePair.Create(table, entry));
            throw;
        }
    }

    /// <summary>A client for <paramref name="table"/> that does not create it: for reading a table that may be gone (an answer of 404 means no rows).</summary>
    public TableClient ClientOf(string table) => service.GetTableClient(NameOf(table));

    /// <summary>Deletes <paramref name="table"/> with all its rows in one request. False when it did not exist (or is already being deleted).</summary>
    public async Task<bool> DropAsync(string table, CancellationToken cancellationToken)
    {
        // Forgotten first, so a later GetAsync in this process creates it again rather than using a client of a deleted table.
        _clients.TryRemove(table, out _);
        try
        {
            using var response = await service.DeleteTableAsync(NameOf(table), cancellationToken).ConfigureAwait(false);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409)
        {
            return false;
        }
    }

    private async Task<TableClient> CreateAsync(string table)
    {
        var client = service.GetTableClient(NameOf(table));
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    }
}
