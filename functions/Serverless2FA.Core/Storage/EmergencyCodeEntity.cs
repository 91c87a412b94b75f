namespace Serverless2FA.Core.Storage;

/// <summary>One emergency code, salted and hashed: table Users, the user's partition, rows "ec-{n}".</summary>
public sealed class EmergencyCodeEntity : TableRow
{
    public const string RowPrefix = "ec-";

    public string Salt { get; set; } = string.Empty;
    public string Hash { get; set; } = string.Empty;
    public DateTimeOffset IssuedAt { get; set; }
}
