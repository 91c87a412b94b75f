namespace Serverless2FA.Core.Storage;

/// <summary>A texted setup link: table Links, partition = SHA-256 of the token (the token itself is never stored).</summary>
internal sealed class LinkEntity : TableRow
{
    public const string Row = "link";

    public LinkEntity()
    {
        RowKey = Row;
    }

    public string UserKey { get; set; } = string.Empty;
    public string EnrollmentId { get; set; } = string.Empty;
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}
