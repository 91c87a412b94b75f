namespace Serverless2FA.Core.Storage;

/// <summary>
/// What the service knows about one phone number, keyed by its HMAC: recent sends (for the
/// per-number limit, a sliding window) and whether the person texted STOP.
/// </summary>
internal sealed class PhoneEntity : TableRow
{
    public const string Row = "phone";

    public PhoneEntity()
    {
        RowKey = Row;
    }

    /// <summary>Space-separated Unix seconds of the sends within the last window.</summary>
    public string RecentSends { get; set; } = string.Empty;
    public bool OptedOut { get; set; }
    public DateTimeOffset? OptedOutAt { get; set; }
}
