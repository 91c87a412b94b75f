using Azure;
using Azure.Data.Tables;

namespace Serverless2FA.Core.Storage;

/// <summary>
/// Texts counted for a send limit, in table Phones: per user (partition = the user's key, row "user", a sliding
/// hour of send times) or per country calling code (partition "cc{code}", row = the clock hour and a shard, a count).
/// </summary>
public sealed class SendCountEntity : ITableEntity
{
    public const string UserRow = "user";

    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = string.Empty;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>Space-separated Unix seconds of the sends within the last hour (per user).</summary>
    public string RecentSends { get; set; } = string.Empty;

    /// <summary>Texts sent in this clock hour (per country).</summary>
    public int Count { get; set; }
}
