namespace Serverless2FA.Core.Storage;

/// <summary>
/// The bot's single-use link to an enrollment's emergency codes: table Links, partition = SHA-256 of the token (the
/// token itself is never stored), row "codes". The codes are encrypted until the link is used, then scrubbed. Its
/// ExpiresAt and UsedAt columns are a <see cref="LinkEntity"/>'s, so the sweep's link handler deletes it too.
/// </summary>
internal sealed class CodesLinkEntity : TableRow
{
    public const string Row = "codes";

    public CodesLinkEntity()
    {
        RowKey = Row;
    }

    public string UserKey { get; set; } = string.Empty;
    public string EnrollmentId { get; set; } = string.Empty;
    public string? CodesCipher { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}
