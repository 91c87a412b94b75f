namespace Serverless2FA.Core.Storage;

/// <summary>A remembered computer: table Users, the user's partition, row "dev-{SHA-256 of the device token}".</summary>
internal sealed class DeviceEntity : TableRow
{
    public const string RowPrefix = "dev-";

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
