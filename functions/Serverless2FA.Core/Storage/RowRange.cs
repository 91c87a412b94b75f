namespace Serverless2FA.Core.Storage;

/// <summary>OData filters for a partition and a row-key range: always bounded by PartitionKey, never a table scan.</summary>
internal static class RowRange
{
    public static string Prefix(string partitionKey, string rowPrefix) => From(partitionKey, rowPrefix, rowPrefix + "~");

    public static string Partition(string partitionKey) => $"PartitionKey eq '{Escape(partitionKey)}'";

    /// <summary>Row keys from <paramref name="from"/> (inclusive) up to <paramref name="before"/> (exclusive).</summary>
    public static string From(string partitionKey, string from, string before)
        => $"{Partition(partitionKey)} and RowKey ge '{Escape(from)}' and RowKey lt '{Escape(before)}'";

    /// <summary>The rows of one partition whose keys start with any of <paramref name="prefixes"/> or equal one of <paramref name="rowKeys"/>: one read for several kinds of row.</summary>
    public static string AnyOf(string partitionKey, IEnumerable<string> prefixes, IEnumerable<string> rowKeys)
    {
        var ranges = prefixes.Select(p => $"(RowKey ge '{Escape(p)}' and RowKey lt '{Escape(p + "~")}')")
            .Concat(rowKeys.Select(r => $"RowKey eq '{Escape(r)}'"));
        return $"{Partition(partitionKey)} and ({string.Join(" or ", ranges)})";
    }

    /// <summary>Row keys after <paramref name="after"/> up to <paramref name="before"/> (both exclusive).</summary>
    public static string Between(string partitionKey, string after, string before)
        => $"{Partition(partitionKey)} and RowKey gt '{Escape(after)}' and RowKey lt '{Escape(before)}'";

    /// <summary>Row keys from <paramref name="from"/> through <paramref name="through"/> (both inclusive).</summary>
    public static string Through(string partitionKey, string from, string through)
        => $"{Partition(partitionKey)} and RowKey ge '{Escape(from)}' and RowKey le '{Escape(through)}'";

    /// <summary>The partitions after <paramref name="after"/> through <paramref name="through"/>: a range bounded on both sides.</summary>
    public static string Partitions(string after, string through)
        => $"PartitionKey gt '{Escape(after)}' and PartitionKey le '{Escape(through)}'";

    private static string Escape(string value) => value.Replace("'", "''", StringComparison.Ordinal);
}
