namespace Serverless2FA.Core.Storage;

/// <summary>
/// A join code handed to the relying app for "enroll by texting us": table JoinCodes, partition = keyed hash of
/// the code (never the code itself; 8 characters are too few to survive an unkeyed hash).
/// </summary>
internal sealed class JoinCodeEntity : TableRow
{
    public const string Row = "join-code";

    public JoinCodeEntity()
    {
        RowKey = Row;
    }

    public string UserKey { get; set; } = string.Empty;
    public string EnrollmentId { get; set; } = string.Empty;
    public DateTimeOffset ExpiresAt { get; set; }
}
