using System.Globalization;
using Serverless2FA.Core.Factors;

namespace Serverless2FA.Core.Storage;

/// <summary>One emergency code, salted and hashed: table Users, the user's partition, rows "ec-{n}".</summary>
internal sealed class EmergencyCodeEntity : TableRow
{
    public const string RowPrefix = "ec-";

    public string Salt { get; set; } = string.Empty;
    public string Hash { get; set; } = string.Empty;
    public DateTimeOffset IssuedAt { get; set; }

    public StoredEmergencyCode ToStored() => new(Salt, Hash);

    /// <summary>
    /// Replaces a user's emergency codes within <paramref name="changes"/>: new rows "ec-00"… written whole, and the
    /// old rows the new ones do not overwrite deleted as loaded. A transaction may touch each row once, so a row that
    /// is both old and new is only overwritten.
    /// </summary>
    /// <param name="existing">The user's current emergency-code rows (keys and ETags are enough).</param>
    internal static Changes ReplaceAll(Changes changes, string userKey, IEnumerable<TableRow> existing, IReadOnlyList<StoredEmergencyCode> codes, DateTimeOffset now)
    {
        var rows = codes.Select((code, i) => new EmergencyCodeEntity
        {
            PartitionKey = userKey,
            RowKey = RowPrefix + i.ToString("D2", CultureInfo.InvariantCulture),
            Salt = code.Salt,
            Hash = code.Hash,
            IssuedAt = now,
        }).ToList();
        var written = rows.Select(r => r.RowKey).ToHashSet(StringComparer.Ordinal);
        foreach (var old in existing.Where(old => !written.Contains(old.RowKey)))
        {
            changes.Delete(old);
        }

        foreach (var row in rows)
        {
            changes.Upsert(row);
        }

        return changes;
    }
}
