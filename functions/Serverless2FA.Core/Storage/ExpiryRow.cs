using Serverless2FA.Core.Expiry;

namespace Serverless2FA.Core.Storage;

/// <summary>A row of the expiry index: table = due day (<see cref="Tables.ExpiryDay"/>), partition = due minute, row = what falls due.</summary>
internal sealed class ExpiryRow : TableRow
{
    public string Kind { get; set; } = string.Empty;
    public string Table { get; set; } = string.Empty;
    public string TargetPartitionKey { get; set; } = string.Empty;
    public string TargetRowKey { get; set; } = string.Empty;
    public DateTimeOffset DueAt { get; set; }

    public static ExpiryRow From(ExpiryEntry entry) => new()
    {
        PartitionKey = entry.PartitionKey,
        RowKey = entry.RowKey,
        ETag = entry.ETag,
        Kind = entry.Kind,
        Table = entry.Table,
        TargetPartitionKey = entry.TargetPartitionKey,
        TargetRowKey = entry.TargetRowKey,
        DueAt = entry.DueAt,
    };

    public ExpiryEntry ToEntry() => new()
    {
        PartitionKey = PartitionKey,
        RowKey = RowKey,
        ETag = ETag,
        Kind = Kind,
        Table = Table,
        TargetPartitionKey = TargetPartitionKey,
        TargetRowKey = TargetRowKey,
        DueAt = DueAt,
    };
}
