using System.Globalization;
using Azure.Data.Tables;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Enrollment;

/// <summary>
/// The transaction actions that replace a user's emergency codes: new rows "ec-00"… written whole, and the old rows
/// the new ones do not overwrite deleted. A table transaction may touch each row once, so a row that is both old and
/// new is only overwritten.
/// </summary>
public static class EmergencyCodeRows
{
    /// <param name="existing">The user's current emergency-code rows (partition and row key are enough).</param>
    /// <param name="hashed">The new codes as (salt, keyed hash).</param>
    public static IEnumerable<TableTransactionAction> Replace(string userKey, IEnumerable<ITableEntity> existing, IReadOnlyList<(string Salt, string Hash)> hashed, DateTimeOffset now)
    {
        var rows = new List<TableTransactionAction>(hashed.Count);
        for (var i = 0; i < hashed.Count; i++)
        {
            rows.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new EmergencyCodeEntity
            {
                PartitionKey = userKey,
                RowKey = EmergencyCodeEntity.RowPrefix + i.ToString("D2", CultureInfo.InvariantCulture),
                Salt = hashed[i].Salt,
                Hash = hashed[i].Hash,
                IssuedAt = now,
            }));
        }

        var written = rows.Select(r => r.Entity.RowKey).ToHashSet(StringComparer.Ordinal);
        return existing
            .Where(old => !written.Contains(old.RowKey))
            .Select(old => new TableTransactionAction(TableTransactionActionType.Delete, old, old.ETag))
            .Concat(rows);
    }
}
