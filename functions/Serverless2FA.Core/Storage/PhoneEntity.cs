namespace Serverless2FA.Core.Storage;

/// <summary>
/// What the service knows about one phone number, keyed by its HMAC: its recent sends per purpose (the per-number
/// limits, sliding hours) and whether the person texted STOP.
/// </summary>
internal sealed class PhoneEntity : TableRow, IPurposeSends
{
    public const string Row = "phone";

    public PhoneEntity()
    {
        RowKey = Row;
    }

    public string LoginSends { get; set; } = string.Empty;
    public string EnrollmentSends { get; set; } = string.Empty;
    public string NoticeSends { get; set; } = string.Empty;
    public bool OptedOut { get; set; }
    public DateTimeOffset? OptedOutAt { get; set; }
}
