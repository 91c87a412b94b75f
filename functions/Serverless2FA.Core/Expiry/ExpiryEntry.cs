using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Expiry;

/// <summary>A row of the expiry index: table = due day, partition = due minute, row = what falls due.</summary>
public sealed class ExpiryEntry : TableRow
{
    public string Kind { get; set; } = string.Empty;
    public string Table { get; set; } = string.Empty;
    public string TargetPartitionKey { get; set; } = string.Empty;
    public string TargetRowKey { get; set; } = string.Empty;
    public DateTimeOffset DueAt { get; set; }

    /// <summary>Row keys may not hold '/', '\\', '#' or '?'; the parts used here are hex, ids and fixed words.</summary>
    public static string MakeRowKey(string kind, string table, string partitionKey, string rowKey)
        => string.Join('|', kind, table, partitionKey, rowKey);
}
