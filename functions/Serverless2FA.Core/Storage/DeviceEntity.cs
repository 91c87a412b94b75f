using Azure;
using Azure.Data.Tables;

namespace Serverless2FA.Core.Storage;

/// <summary>A remembered computer: table Users, the user's partition, row "dev-{SHA-256 of the device token}".</summary>
public sealed class DeviceEntity : ITableEntity
{
    public const string RowPrefix = "dev-";

    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = string.Empty;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
