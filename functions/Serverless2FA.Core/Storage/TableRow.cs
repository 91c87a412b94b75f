using Azure;
using Azure.Data.Tables;

namespace Serverless2FA.Core.Storage;

/// <summary>The four members every stored row carries; the entity classes add what they hold.</summary>
internal abstract class TableRow : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = string.Empty;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
}
