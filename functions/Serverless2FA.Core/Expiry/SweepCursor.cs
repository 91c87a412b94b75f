using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Expiry;

/// <summary>
/// The last minute bucket the sweep has finished. Kept alone in the fixed Expiry table (the index rows are
/// in the day tables), so dropping a day's table never touches it.
/// </summary>
public sealed class SweepCursor : TableRow
{
    public const string Partition = "sweep";
    public const string Row = "cursor";

    public SweepCursor()
    {
        RowKey = Row;
    }

    public string LastSwept { get; set; } = string.Empty;
    public DateTimeOffset UpdatedAt { get; set; }
}
