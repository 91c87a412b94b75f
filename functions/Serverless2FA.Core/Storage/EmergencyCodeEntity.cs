using Azure;
using Azure.Data.Tables;

namespace Serverless2FA.Core.Storage;

/// <summary>One emergency code, salted and hashed: table Users, the user's partition, rows "ec-{n}".</summary>
public sealed class EmergencyCodeEntity : ITableEntity
{
    public const string RowPrefix = "ec-";

    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = string.Empty;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Salt { get; set; } = string.Empty;
    public string Hash { get; set; } = string.Empty;
    public DateTimeOffset IssuedAt { get; set; }
}
