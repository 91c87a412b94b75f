using Azure.Data.Tables;
using Serverless2FA.Core.Expiry;

namespace Serverless2FA.Core.Storage;

/// <summary>
/// Table Storage has no secondary index, so every pending thing also writes a row here, keyed by the
/// minute it falls due, in the table of its UTC due day (<see cref="Tables.ExpiryDay"/>). The sweep reads
/// only the due minutes: its cost follows what expires, not what is stored; and a day it has passed goes
/// with one DeleteTable, so the table it deletes rows from holds one day's entries, not everything pending.
/// Services never write here themselves: they give a pending row its <see cref="Due"/> in their <see cref="Changes"/>,
/// and the commit writes the entry before the row.
/// </summary>
public sealed class ExpiryIndex(Tables tables, TimeProvider time)
{
    /// <summary>The partition key of the minute bucket <paramref name="dueAt"/> falls in (UTC).</summary>
    internal static string Bucket(DateTimeOffset dueAt) => ExpiryBuckets.Of(dueAt);

    /// <summary>The index table holding the rows of <paramref name="bucket"/>.</summary>
    internal static string TableOf(string bucket) => Tables.ExpiryDay(ExpiryBuckets.Day(bucket));

    /// <summary>
    /// Records that the row <paramref name="table"/>/<paramref name="partitionKey"/>/<paramref name="rowKey"/> falls due
    /// at <paramref name="dueAt"/>. Something already due is filed under the current minute, not its own: the
    /// sweep may be past that minute and may have dropped its day's table, and a row written there would be
    /// lost (or, in Azure, fail against a table being deleted). The row keeps its real due time.
    /// </summary>
    internal async Task AddAsync(string kind, string table, string partitionKey, string rowKey, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var bucket = Bucket(dueAt > now ? dueAt : now);
        var index = await tables.GetAsync(TableOf(bucket), cancellationToken).ConfigureAwait(false);
        var entity = new ExpiryRow
        {
            PartitionKey = bucket,
            RowKey = ExpiryEntry.MakeRowKey(kind, table, partitionKey, rowKey),
            Kind = kind,
            Table = table,
            TargetPartitionKey = partitionKey,
            TargetRowKey = rowKey,
            DueAt = dueAt,
        };
        await index.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }
}
