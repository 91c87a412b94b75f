using Azure;
using Azure.Data.Tables;

namespace Serverless2FA.Core.Storage;

/// <summary>A texted setup link: table Links, partition = SHA-256 of the token (the token itself is never stored).</summary>
public sealed class LinkEntity : ITableEntity
{
    public const string Row = "link";

    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string UserKey { get; set; } = string.Empty;
    public string EnrollmentId { get; set; } = string.Empty;
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}
