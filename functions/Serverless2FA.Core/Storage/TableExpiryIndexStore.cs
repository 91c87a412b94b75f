using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Serverless2FA.Core.Expiry;

namespace Serverless2FA.Core.Storage;

/// <summary>
/// The sweep's storage in Table Storage: the cursor in the fixed Expiry table, the index rows in one table
/// per due day. Every query is bounded by PartitionKey, never a table scan, and reads only the tables of
/// the days it covers; a day table that does not exist (nothing was due that day, or it was dropped) reads as empty.
/// </summary>
internal sealed class TableExpiryIndexStore(Tables tables, Optimistic optimistic) : IExpiryIndexStore
{
    /// <summary>Azure Table Storage's limit of operations in one transaction.</summary>
    public const int MaxBatch = 100;

    /// <summary>The most rows Table Storage returns in one page.</summary>
    private const int PageSize = 1000;

    public async Task<SweepCursor?> ReadCursorAsync(CancellationToken cancellationToken)
    {
        var row = await tables.FindAsync<CursorRow>(Tables.Expiry, CursorRow.Partition, CursorRow.Row, cancellationToken).ConfigureAwait(false);
        return row is null ? null : new SweepCursor { LastSwept = row.LastSwept, UpdatedAt = row.UpdatedAt, ETag = row.ETag };
    }

    public async Task AdvanceCursorAsync(SweepCursor? read, string bucket, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The first decision is over the cursor the run read; after a conflict, over what the other run wrote.
        var first = true;
        await optimistic.ChangeAsync<SweepCursor?, bool>(
            ct =>
            {
                var current = first ? Task.FromResult(read) : ReadCursorAsync(ct);
                first = false;
                return current;
            },
            (current, _) =>
            {
                // Another run moved it as far or further: keep the later of the two.
                if (current is not null && string.CompareOrdinal(current.LastSwept, bucket) >= 0)
                {
                    return new Decision<bool>(false);
                }

                var next = new CursorRow { LastSwept = bucket, UpdatedAt = now, ETag = current?.ETag ?? default };
                var changes = new Changes(Tables.Expiry);
                return new Decision<bool>(true, current is null ? changes.Add(next) : changes.Replace(next));
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<IReadOnlyList<ExpiryEntry>> ReadAsync(string afterBucket, string throughBucket, ICollection<string> absentDays, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The same two-sided range in each day's table; each holds only its own day's buckets, so the days
        // read in order give the rows in key order.
        var filter = RowRange.Partitions(afterBucket, throughBucket);
        foreach (var day in ExpiryBuckets.Days(afterBucket, throughBucket))
        {
            // Not created just to be read: an absent table has no rows.
            var index = tables.ClientOf(Tables.ExpiryDay(day));
            // AsPages follows every continuation token, including those of empty pages (Table Storage may end a
            // page at a partition boundary with no rows in it).
            var pages = index.QueryAsync<ExpiryRow>(filter, PageSize, cancellationToken: cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
            try
            {
                bool? more;
                while ((more = await NextPageAsync(pages).ConfigureAwait(false)) == true)
                {
                    yield return [.. pages.Current.Values.Select(row => row.ToEntry())];
                }

                if (more is null)
                {
                    absentDays.Add(day);
                }
            }
            finally
            {
                await pages.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public Task<bool> DropDayAsync(string day, CancellationToken cancellationToken) => tables.DropAsync(Tables.ExpiryDay(day), cancellationToken);

    public async Task<IndexDeletion> DeleteAsync(IReadOnlyCollection<ExpiryEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return new IndexDeletion(0, []);
        }

        var deleted = 0;
        var rewritten = new List<ExpiryEntry>();
        var batches = Batches(entries);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (batch, token) =>
        {
            // A batch is one partition, so one minute, so one day's table.
            var index = tables.ClientOf(ExpiryIndex.TableOf(batch[0].PartitionKey));
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

    /// <summary>The next page of a day table's range: true, false at the end, null when the table is absent or being deleted.</summary>
    private static async Task<bool?> NextPageAsync(IAsyncEnumerator<Page<ExpiryRow>> pages)
    {
        try
        {
            return await pages.MoveNextAsync().ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 || e.ErrorCode == TableErrorCode.TableBeingDeleted.ToString())
        {
            return null;
        }
    }

    private static async Task<(int Deleted, List<ExpiryEntry> Rewritten)> DeleteBatchAsync(TableClient index, IReadOnlyList<ExpiryEntry> batch, CancellationToken cancellationToken)
    {
        try
        {
            await index.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, ExpiryRow.From(e), e.ETag)), cancellationToken).ConfigureAwait(false);
            return (batch.Count, []);
        }
        catch (TableTransactionFailedException e) when (Optimistic.IsConflict(e) || e.Status == 404)
        {
            // One row was deleted by another run, or rewritten, or its day was dropped by another run: the
            // transaction failed whole, so go row by row.
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
            catch (RequestFailedException e) when (Optimistic.IsConflict(e))
            {
                rewritten.Add(entry);
            }
        }

        return (deleted, rewritten);
    }
}
