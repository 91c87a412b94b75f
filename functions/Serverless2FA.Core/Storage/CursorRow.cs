namespace Serverless2FA.Core.Storage;

/// <summary>The sweep's cursor: alone in the fixed Expiry table (the index rows are in the day tables).</summary>
internal sealed class CursorRow : TableRow
{
    public const string Partition = "sweep";
    public const string Row = "cursor";

    public CursorRow()
    {
        PartitionKey = Partition;
        RowKey = Row;
    }

    public string LastSwept { get; set; } = string.Empty;
    public DateTimeOffset UpdatedAt { get; set; }
}
