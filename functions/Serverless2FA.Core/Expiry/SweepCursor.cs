using Azure;
using Azure.Data.Tables;

namespace Serverless2FA.Core.Expiry;

/// <summary>
/// The last minute bucket the sweep has finished. Kept alone in the fixed Expiry table (the index rows are
/// in the day tables), so dropping a day's table never touches it.
/// </summary>
public sealed class SweepCursor : ITableEntity
{
    public const string Partition = "sweep";
    public const string Row = "cursor";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string LastSwept { get; set; } = string.Empty;
    public DateTimeOffset UpdatedAt { get; set; }
}
