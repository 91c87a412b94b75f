using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Expiry;

/// <summary>The sweep's storage in Table Storage: every query is bounded by PartitionKey, never a table scan.</summary>
public sealed class TableExpiryIndexStore(Tables tables) : IExpiryIndexStore
{
    /// <summary>Azure Table Storage's limit of operations in one transaction.</summary>
    public const int MaxBatch = 100;

    /// <summary>The most rows Table Storage returns in one page.</summary>
    private const int PageSize = 1000;

    private const int MaxConflicts = 5;

    public async Task<SweepCursor?> ReadCursorAsync(CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(Tables.Expiry, cancellationToken).ConfigureAwait(false);
        var found = await index.GetEntityIfExistsAsync<SweepCursor>(SweepCursor.Partition, SweepCursor.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    public async Task AdvanceCursorAsync(SweepCursor? read, string bucket, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(Tables.Expiry, cancellationToken).ConfigureAwait(false);
        var current = read;
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            if (current is not null && string.CompareOrdinal(current.LastSwept, bucket) >= 0)
            {
                return;
            }

            try
            {
                var next = new SweepCursor { LastSwept = bucket, UpdatedAt = now };
                if (current is null)
                {
                    await index.AddEntityAsync(next, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await index.UpdateEntityAsync(next, current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another run moved it: keep the later of the two.
                current = await ReadCursorAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async IAsyncEnumerable<IReadOnlyList<ExpiryEntry>> ReadAsync(string afterBucket, string throughBucket, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(Tables.Expiry, cancellationToken).ConfigureAwait(false);
        var filter = RowRange.Partitions(afterBucket, throughBucket);
        // AsPages follows every continuation token, including those of empty pages (Table Storage may end a
        // page at a partition boundary with no rows in it).
        await foreach (var page in index.QueryAsync<ExpiryEntry>(filter, PageSize, cancellationToken: cancellationToken).AsPages().ConfigureAwait(false))
        {
            yield return page.Values;
        }
    }

    public async Task<IndexDeletion> DeleteAsync(IReadOnlyCollection<ExpiryEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return new IndexDeletion(0, []);
        }

        var index = await tables.GetAsync(Tables.Expiry, cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        var rewritten = new List<ExpiryEntry>();
        var batches = Batches(entries);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (batch, token) =>
        {
            var (count, kept) = await DeleteBatchAsync(index, batch, token).ConfigureAwait(false);
            lock (rewritten)
            {
                deleted += count;
                rewritten.AddRange(kept);
            }
        }).ConfigureAwait(false);
        return new IndexDeletion(deleted, rewritten);
    }

    /// <summary>Groups rows by partition (a transaction spans one) in chunks of at most <see cref="MaxBatch"/>.</summary>
    public static IReadOnlyList<IReadOnlyList<ExpiryEntry>> Batches(IEnumerable<ExpiryEntry> entries)
        => [.. entries.GroupBy(e => e.PartitionKey, StringComparer.Ordinal).SelectMany(group => group.Chunk(MaxBatch))];

    private static async Task<(int Deleted, List<ExpiryEntry> Rewritten)> DeleteBatchAsync(TableClient index, IReadOnlyList<ExpiryEntry> batch, CancellationToken cancellationToken)
    {
        try
        {
            await index.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, e.ETag)), cancellationToken).ConfigureAwait(false);
            return (batch.Count, []);
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
        {
            // One row was deleted by another run, or rewritten: the transaction failed whole, so go row by row.
        }

        var deleted = 0;
        var rewritten = new List<ExpiryEntry>();
        foreach (var entry in batch)
        {
            try
            {
                // The SDK answers a missing entity with its 404 response rather than an exception.
                using var response = await index.DeleteEntityAsync(entry.PartitionKey, entry.RowKey, entry.ETag, cancellationToken).ConfigureAwait(false);
                deleted += response.Status == 404 ? 0 : 1;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Already deleted by another run.
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                rewritten.Add(entry);
            }
        }

        return (deleted, rewritten);
    }
}
