using Serverless2FA.Core.Events;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Users;

namespace Serverless2FA.Core.Enrollments;

/// <summary>
/// Completing an enrollment, as one transaction in the user's partition: the profile with the new factor, its
/// emergency codes, the end of the old factor's codes and remembered computers, the audit event, and (added by the
/// caller) the enrollment marked completed with its ETag, so two completions cannot both land.
/// </summary>
internal static class FactorReplacement
{
    /// <summary>Nothing to replace: for an enrollment that will not complete anyway.</summary>
    public static readonly Replaced Nothing = new([], [], false);

    /// <summary>The old factor's rows, by key, in one read: the new factor replaces it whole.</summary>
    public static async Task<Replaced> LoadAsync(Tables tables, string userKey, CancellationToken cancellationToken)
    {
        var filter = RowRange.AnyOf(userKey, [EmergencyCodeEntity.RowPrefix, DeviceEntity.RowPrefix], [UserProfileEntity.Row]);
        var rows = await tables.QueryAsync<RowKeys>(Tables.Users, filter, ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new Replaced(
            [.. rows.Where(r => r.RowKey.StartsWith(EmergencyCodeEntity.RowPrefix, StringComparison.Ordinal))],
            [.. rows.Where(r => r.RowKey.StartsWith(DeviceEntity.RowPrefix, StringComparison.Ordinal))],
            rows.Exists(r => r.RowKey == UserProfileEntity.Row));
    }

    /// <summary>What completing <paramref name="e"/> writes for its user; read from it before its completion scrubs it.</summary>
    public static Changes Changes(Enrollment e, Replaced old, string policy, DateTimeOffset now)
    {
        var changes = new Changes(Tables.Users);
        foreach (var device in old.Devices)
        {
            changes.DeleteAny(device.PartitionKey, device.RowKey);
        }

        EmergencyCodeEntity.ReplaceAll(changes, e.UserKey, old.EmergencyCodes, e.EmergencyCodes ?? [], now);
        changes.Upsert(new UserProfileEntity
        {
            PartitionKey = e.UserKey,
            Enrolled = true,
            UserIdCipher = e.UserIdCipher,
            Method = e.Method,
            Policy = policy,
            PhoneCipher = e.PhoneCipher,
            PhoneMasked = e.PhoneMasked,
            PhoneKey = e.PhoneKey,
            TotpSeedCipher = e.SeedCipher,
            LastTotpStep = e.LastTotpStep,
            EnrolledAt = now,
            EnrollmentId = e.Id,
            Locale = e.Locale,
        });

        // In the same transaction, so the trail cannot miss an enrollment nor show one that did not happen; the event too.
        return changes.Add(AuditEntity.Create(e.UserKey, now, AuditEvents.Enrolled, e.Method, "policy " + policy))
            .Emit(e.UserKey, e.UserIdCipher, EventDrafts.EnrollmentCompleted(now, e.Id, e.Method!, policy, replaced: old.HadFactor));
    }

    /// <param name="HadFactor">The user had an enrolled factor, which this enrollment replaces.</param>
    internal sealed record Replaced(IReadOnlyList<TableRow> EmergencyCodes, IReadOnlyList<TableRow> Devices, bool HadFactor);
}
