using Azure.Data.Tables;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Expiry;

/// <summary>
/// Table Storage has no secondary index, so every pending thing also writes a row here, keyed by the
/// minute it falls due. The sweep reads only the due minutes: its cost follows what expires, not
/// what is stored.
/// </summary>
public sealed class ExpiryIndex(Tables tables)
{
    /// <summary>The partition key of the minute bucket <paramref name="dueAt"/> falls in (UTC).</summary>
    public static string Bucket(DateTimeOffset dueAt) => ExpiryBuckets.Of(dueAt);

    public static DateTimeOffset BucketStart(string bucket) => ExpiryBuckets.Start(bucket);

    /// <summary>Records that the row <paramref name="table"/>/<paramref name="partitionKey"/>/<paramref name="rowKey"/> falls due at <paramref name="dueAt"/>.</summary>
    public async Task AddAsync(string kind, string table, string partitionKey, string rowKey, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(Tables.Expiry, cancellationToken).ConfigureAwait(false);
        var entity = new ExpiryEntry
        {
            PartitionKey = Bucket(dueAt),
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
