using System.Text.Json;
using Azure.Data.Tables;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Enrollment;

/// <summary>
/// Completing an enrollment, as one transaction in the user's partition: the profile with the new factor, its
/// emergency codes, the end of the old factor's codes and remembered computers, the audit event, and the
/// enrollment marked completed with its ETag (so two completions cannot both land).
/// </summary>
internal static class FactorReplacement
{
    public static async Task<List<TableTransactionAction>> ActionsAsync(TableClient users, EnrollmentEntity e, string policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>();
        // The new factor replaces the old one whole: its emergency codes and remembered computers go too.
        var oldCodes = new List<TableRow>();
        await foreach (var old in users.QueryAsync<RowKeys>(RowRange.Prefix(e.PartitionKey, EmergencyCodeEntity.RowPrefix), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            oldCodes.Add(old);
        }

        await foreach (var old in users.QueryAsync<TableEntity>(RowRange.Prefix(e.PartitionKey, DeviceEntity.RowPrefix), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, old));
        }

        var hashed = (JsonSerializer.Deserialize<List<string>>(e.EmergencyCodeHashes ?? "[]") ?? [])
            .Select(code => code.Split(':', 2))
            .Select(parts => new Factors.StoredEmergencyCode(parts[0], parts[1]))
            .ToList();
        actions.AddRange(EmergencyCodeEntity.ReplaceAll(new Changes(Tables.Users), e.PartitionKey, oldCodes, hashed, now).Rows);

        actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new UserProfileEntity
        {
            PartitionKey = e.PartitionKey,
            Enrolled = true,
            Method = e.Method,
            Policy = policy,
            PhoneCipher = e.PhoneCipher,
            PhoneMasked = e.PhoneMasked,
            PhoneKey = e.PhoneKey,
            TotpSeedCipher = e.SeedCipher,
            LastTotpStep = e.LastTotpStep,
            EnrolledAt = now,
            EnrollmentId = e.EnrollmentId,
            Locale = e.Locale,
        }));

        // In the same transaction, so the trail cannot miss an enrollment nor show one that did not happen.
        actions.Add(new TableTransactionAction(TableTransactionActionType.Add, AuditEntity.Create(e.PartitionKey, now, AuditEvents.Enrolled, e.Method, "policy " + policy)));

        e.Status = EnrollmentStatus.Completed;
        e.SessionHash = null;
        e.SeedCipher = null;
        e.PhoneCipher = null;
        e.EmergencyCodeHashes = null;
        actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, e, e.ETag));
        return actions;
    }
}
