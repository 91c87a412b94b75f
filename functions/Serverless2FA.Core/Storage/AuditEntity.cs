using System.Globalization;
using Serverless2FA.Core.Crypto;

namespace Serverless2FA.Core.Storage;

/// <summary>
/// One event of a user's audit trail: table Users, the user's partition, row "audit-{inverted ticks}-{random}", so a
/// range read returns the newest first. Holds no code, token or phone number.
/// </summary>
internal sealed class AuditEntity : TableRow
{
    public const string RowPrefix = "audit-";

    public DateTimeOffset At { get; set; }
    public string Event { get; set; } = string.Empty;
    public string? Method { get; set; }
    public string? Detail { get; set; }

    /// <summary>
    /// The row-key stem of an event at <paramref name="at"/>: inverted ticks, so newer events sort first and every
    /// event older than <paramref name="at"/> sorts after it.
    /// </summary>
    public static string RowKeyAt(DateTimeOffset at)
        => RowPrefix + (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    public static AuditEntity Create(string userKey, DateTimeOffset at, string auditEvent, string? method = null, string? detail = null) => new()
    {
        PartitionKey = userKey,
        RowKey = RowKeyAt(at) + "-" + Randomness.Token(6),
        At = at,
        Event = auditEvent,
        Method = method,
        Detail = detail,
    };
}
