using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Core.Storage;

/// <summary>
/// The service's tables, each created on first use. Names carry <see cref="StorageOptions.TablePrefix"/>
/// so several test runs can share one Azurite.
/// </summary>
public sealed class Tables(TableServiceClient service, IOptions<StorageOptions> options)
{
    internal const string Users = "Users";
    internal const string Links = "Links";
    internal const string Sessions = "Sessions";
    internal const string JoinCodes = "JoinCodes";
    internal const string Verifications = "Verifications";
    internal const string Phones = "Phones";
    /// <summary>The sweep's cursor. The index rows themselves live in one table per due day: <see cref="ExpiryDay"/>.</summary>
    internal const string Expiry = "Expiry";
    internal const string Outbox = "Outbox";
    internal const string Messages = "Messages";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _clients = new();

    internal TableServiceClient Service => service;

    /// <summary>
    /// The expiry index table of one UTC due day ("yyyyMMdd"), e.g. "Expiry20250331". A day per table is Table
    /// Storage's high-volume delete pattern: once the sweep is past a day, one DeleteTable removes all its rows,
    /// and the table the sweep deletes rows from never holds more than one day's entries.
    /// </summary>
    internal static string ExpiryDay(string day) => Expiry + day;

    /// <summary>The cursor table or an index day table: never a target for a handler to delete from.</summary>
    internal static bool IsExpiry(string table) => table.StartsWith(Expiry, StringComparison.Ordinal);

    internal string NameOf(string table) => options.Value.TablePrefix + table;

    /// <summary>
    /// A client for <paramref name="table"/>, created on first use. Concurrent first uses share one creation; a creation
    /// that failed (storage down) is forgotten, so the next call tries again instead of failing for ever.
    /// </summary>
    internal async Task<TableClient> GetAsync(string table, CancellationToken cancellationToken = default)
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
    internal TableClient ClientOf(string table) => service.GetTableClient(NameOf(table));

    /// <summary>Deletes <paramref name="table"/> with all its rows in one request. False when it did not exist (or is already being deleted).</summary>
    internal async Task<bool> DropAsync(string table, CancellationToken cancellationToken)
    {
        // Forgotten first, so a later GetAsync in this process creates it again rather than using a client of a deleted table.
        _clients.TryRemove(table, out _);
        try
        {
            using var response = await service.DeleteTableAsync(NameOf(table), cancellationToken).ConfigureAwait(false);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status == 404 || e.ErrorCode == TableErrorCode.TableBeingDeleted.ToString())
        {
            return false;
        }
    }

    /// <summary>The row <paramref name="partitionKey"/>/<paramref name="rowKey"/> of <paramref name="table"/>, with its ETag; null when there is none.</summary>
    internal async Task<T?> FindAsync<T>(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : TableRow, new()
    {
        var client = await GetAsync(table, cancellationToken).ConfigureAwait(false);
        var found = await client.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>The rows matching <paramref name="filter"/> (built with <see cref="RowRange"/>, so always bounded by partition).</summary>
    /// <param name="select">Only these columns; every column when null.</param>
    internal async IAsyncEnumerable<T> QueryAsync<T>(
        string table,
        string filter,
        IEnumerable<string>? select = null,
        int? pageSize = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : TableRow, new()
    {
        var client = await GetAsync(table, cancellationToken).ConfigureAwait(false);
        await foreach (var row in client.QueryAsync<T>(filter, pageSize, select, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    /// <summary>Deletes a row whatever it holds, for good: an end of life, not a decision (retention, a trim).</summary>
    /// <returns>False when there was no such row.</returns>
    internal async Task<bool> DeleteAnyAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var client = await GetAsync(table, cancellationToken).ConfigureAwait(false);
        // The SDK answers a missing row with its 404 rather than an exception.
        using var response = await client.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    /// <summary>Deletes rows whatever they hold, in transactions of at most <see cref="TableExpiryIndexStore.MaxBatch"/>; rows already gone are fine.</summary>
    internal async Task DeleteAllAsync(string table, IReadOnlyCollection<TableRow> rows, CancellationToken cancellationToken)
    {
        var client = await GetAsync(table, cancellationToken).ConfigureAwait(false);
        foreach (var batch in rows.Chunk(TableExpiryIndexStore.MaxBatch))
        {
            try
            {
                await client.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // One was deleted meanwhile, which fails the transaction whole: the rest one by one.
                foreach (var row in batch)
                {
                    await DeleteAnyAsync(table, row.PartitionKey, row.RowKey, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Reads one row key of the Users table: for the health endpoint, which must know storage answers.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
        => await FindAsync<RowKeys>(Users, "health", "probe", cancellationToken).ConfigureAwait(false);

    private async Task<TableClient> CreateAsync(string table)
    {
        var client = service.GetTableClient(NameOf(table));
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    }
}
