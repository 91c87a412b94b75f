using Serverless2FA.Core.Events;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Users;

namespace Serverless2FA.Core.Enrollments;

/// <summary>
/// Completing an enrollment, as one transaction in the user's partition: the profile with the new factor, its
/// emergency codes, the end of the old factor's codes and remembered computers, the audit event, and (added by the
/// caller) the enrollment marked completed with its ETag, so two completions cannot both land. When the user had a
/// factor, this is a replacement: the old seed, phone, codes and computers go, the lock and the count of wrong codes
/// stay (a replacement never clears a lock), and the trail says <c>factor-replaced</c>.
/// </summary>
internal static class FactorReplacement
{
    /// <summary>Nothing to replace: for an enrollment that will not complete anyway.</summary>
    public static readonly Replaced Nothing = new(null, [], []);

    /// <summary>The user's profile and the old factor's rows (by key), in one read: the new factor replaces it whole.</summary>
    public static async Task<Replaced> LoadAsync(Tables tables, string userKey, CancellationToken cancellationToken)
    {
        var filter = RowRange.AnyOf(userKey, [EmergencyCodeEntity.RowPrefix, DeviceEntity.RowPrefix], [UserProfileEntity.Row]);
        // Read as profiles: the profile row whole (its lock carries over, its phone is told), the others only for their keys.
        var rows = await tables.QueryAsync<UserProfileEntity>(Tables.Users, filter, cancellationToken: cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new Replaced(
            rows.Find(r => r.RowKey == UserProfileEntity.Row),
            [.. rows.Where(r => r.RowKey.StartsWith(EmergencyCodeEntity.RowPrefix, StringComparison.Ordinal))],
            [.. rows.Where(r => r.RowKey.StartsWith(DeviceEntity.RowPrefix, StringComparison.Ordinal))]);
    }

    /// <summary>
    /// Why <paramref name="e"/> may not replace what the user has now: it was admitted against another factor (or
    /// none), so the step-up it was admitted with does not speak for this one. Null when it may.
    /// </summary>
    public static Failure? Refuse(Enrollment e, Replaced old)
        => (old.Profile is { Enrolled: true } profile ? profile.EnrollmentId : null) == e.Replaces
            ? null
            : new Failure(FailureKind.Conflict, "Two-factor sign-in changed for this account since this setup began. Ask the app to start again.");

    /// <summary>What completing <paramref name="e"/> writes for its user; read from it before its completion scrubs it.</summary>
    public static Changes Changes(Enrollment e, Replaced old, string policy, DateTimeOffset now)
    {
        var changes = new Changes(Tables.Users);
        foreach (var device in old.Devices)
        {
            changes.DeleteAny(device.PartitionKey, device.RowKey);
        }

        EmergencyCodeEntity.ReplaceAll(changes, e.UserKey, old.EmergencyCodes, e.EmergencyCodes ?? [], now);
        var profile = new UserProfileEntity
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
        };

        // In the same transaction, so the trail cannot miss an enrollment nor show one that did not happen; the event too.
        var replaced = old.Profile is { Enrolled: true } oldFactor ? oldFactor : null;
        if (replaced is not null)
        {
            CarryLock(replaced, profile);
            changes.Replace(profile.WithETagOf(replaced))
                .Add(AuditEntity.Create(e.UserKey, now, AuditEvents.FactorReplaced, e.Method, $"{replaced.Method} to {e.Method}, policy {policy}"));
        }
        else
        {
            changes.Save(profile.WithETagOf(old.Profile))
                .Add(AuditEntity.Create(e.UserKey, now, AuditEvents.Enrolled, e.Method, "policy " + policy));
        }

        return changes.Emit(e.UserKey, e.UserIdCipher, EventDrafts.EnrollmentCompleted(now, e.Id, e.Method!, policy, replaced: replaced is not null));
    }

    /// <summary>Guessing limits belong to the account, not the phone: re-enrolling must not be a way out of a lock.</summary>
    private static void CarryLock(UserProfileEntity from, UserProfileEntity to)
    {
        to.FailedAttempts = from.FailedAttempts;
        to.Lockouts = from.Lockouts;
        to.LockedUntil = from.LockedUntil;
        to.HardLocked = from.HardLocked;
        to.TotalFailures = from.TotalFailures;
    }

    private static UserProfileEntity WithETagOf(this UserProfileEntity profile, UserProfileEntity? loaded)
    {
        profile.ETag = loaded?.ETag ?? default;
        return profile;
    }

    /// <param name="Profile">The user's profile as loaded; null when the user had none.</param>
    internal sealed record Replaced(UserProfileEntity? Profile, IReadOnlyList<TableRow> EmergencyCodes, IReadOnlyList<TableRow> Devices);
}
