using Azure;

namespace Serverless2FA.Core.Expiry;

/// <summary>An entry of the expiry index as the sweep reads it: bucket = due minute, row = what falls due.</summary>
public sealed class ExpiryEntry
{
    /// <summary>The minute bucket ("yyyyMMddHHmm", UTC) it is filed under.</summary>
    public string PartitionKey { get; set; } = string.Empty;

    /// <summary>Names what falls due: <see cref="MakeRowKey"/>.</summary>
    public string RowKey { get; set; } = string.Empty;

    /// <summary>The version it was read at: it is removed only if nobody rewrote it since.</summary>
    public ETag ETag { get; set; }

    public string Kind { get; set; } = string.Empty;
    public string Table { get; set; } = string.Empty;
    public string TargetPartitionKey { get; set; } = string.Empty;
    public string TargetRowKey { get; set; } = string.Empty;
    public DateTimeOffset DueAt { get; set; }

    /// <summary>Row keys may not hold '/', '\\', '#' or '?'; the parts used here are hex, ids and fixed words.</summary>
    public static string MakeRowKey(string kind, string table, string partitionKey, string rowKey)
        => string.Join('|', kind, table, partitionKey, rowKey);
}
