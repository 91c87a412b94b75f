namespace Serverless2FA.Core.Storage;

/// <summary>OData filters for a partition and a row-key prefix: always bounded by PartitionKey, never a table scan.</summary>
public static class RowRange
{
    public static string Prefix(string partitionKey, string rowPrefix)
        => $"PartitionKey eq '{Escape(partitionKey)}' and RowKey ge '{Escape(rowPrefix)}' and RowKey lt '{Escape(rowPrefix)}~'";

    public static string Partition(string partitionKey) => $"PartitionKey eq '{Escape(partitionKey)}'";

    /// <summary>The partitions after <paramref name="after"/> through <paramref name="through"/>: a range bounded on both sides.</summary>
    public static string Partitions(string after, string through)
        => $"PartitionKey gt '{Escape(after)}' and PartitionKey le '{Escape(through)}'";

    private static string Escape(string value) => value.Replace("'", "''", StringComparison.Ordinal);
}
