using Azure;

namespace Serverless2FA.Core.Expiry;

/// <summary>
/// The last minute bucket the sweep has finished, with the version it was read at (the cursor moves only from
/// what was read). Kept apart from the index rows, so dropping a day of the index never touches it.
/// </summary>
public sealed class SweepCursor
{
    public string LastSwept { get; set; } = string.Empty;
    public DateTimeOffset UpdatedAt { get; set; }
    public ETag ETag { get; set; }
}
