using Microsoft.Extensions.Logging;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Factors;
using Serverless2FA.Core.Notices;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Verification;

namespace Serverless2FA.Core.Users;

/// <summary>What the relying app may do to a user's two-factor set-up: turn it off, renew emergency codes, forget computers, lift a lock, read the trail.</summary>
public sealed class TwoFactorManagementService(
    Tables tables,
    Optimistic optimistic,
    UserKeys userKeys,
    EmergencyCodeFactor emergencyCodes,
    NoticeSender notices,
    TimeProvider time,
    ILogger<TwoFactorManagementService> logger)
{
    public const int AuditLimit = 50;

    /// <summary>
    /// Turns two-factor off: deletes the profile (seed and phone ciphers), the emergency codes, the remembered computers
    /// and any pending enrollment. The audit trail stays. Unknown users succeed too: the end state is the same.
    /// </summary>
    public async Task<Result<bool>> DisableAsync(string? userId, CancellationToken cancellationToken)
    {
        var valid = await UserKeyAsync(userId, cancellationToken).ConfigureAwait(false);
        if (!valid.Succeeded)
        {
            return valid.Failure;
        }

        var userKey = valid.Value;

        // The phone to tell, read before it is destroyed.
        var profile = await tables.FindAsync<UserProfileEntity>(Tables.Users, userKey, UserProfileEntity.Row, cancellationToken).ConfigureAwait(false);
        var rows = new List<TableRow>();
        await foreach (var row in tables.QueryAsync<RowKeys>(Tables.Users, RowRange.Partition(userKey), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            // The audit trail stays, and so do events not yet delivered (the sweep removes them once they are).
            if (!row.RowKey.StartsWith(AuditEntity.RowPrefix, StringComparison.Ordinal) && !row.RowKey.StartsWith(EventEntity.RowPrefix, StringComparison.Ordinal))
            {
                rows.Add(row);
            }
        }

        var enrolled = rows.Any(r => r.RowKey == UserProfileEntity.Row);
        await tables.DeleteAllAsync(Tables.Users, rows, cancellationToken).ConfigureAwait(false);
        if (enrolled)
        {
            var now = time.GetUtcNow();
            var userIdCipher = await userKeys.EncryptIdAsync(userId!, userKey, cancellationToken).ConfigureAwait(false);
            await optimistic.CommitAsync(
                new Changes(Tables.Users).Add(AuditEntity.Create(userKey, now, AuditEvents.Disabled)).Emit(userKey, userIdCipher, EventDrafts.TwoFactorDisabled(now)),
                cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Two-factor turned off for {UserKey}", userKey);
            await notices.SendAsync(NoticeRecipient.Of(profile), SmsTemplates.NoticeDisabled, null, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>New emergency codes, shown once; the old ones are deleted in the same transaction.</summary>
    public async Task<Result<IReadOnlyList<string>>> RenewEmergencyCodesAsync(string? userId, CancellationToken cancellationToken)
    {
        var valid = await UserKeyAsync(userId, cancellationToken).ConfigureAwait(false);
        if (!valid.Succeeded)
        {
            return valid.Failure;
        }

        var userKey = valid.Value;

        var issued = await emergencyCodes.IssueAsync(cancellationToken).ConfigureAwait(false);
        UserProfileEntity? renewedFor = null;
        var renewed = await optimistic.ChangeAsync(
            async ct => (
                Profile: await tables.FindAsync<UserProfileEntity>(Tables.Users, userKey, UserProfileEntity.Row, ct).ConfigureAwait(false),
                Codes: await tables.QueryAsync<RowKeys>(Tables.Users, RowRange.Prefix(userKey, EmergencyCodeEntity.RowPrefix), select: ["PartitionKey", "RowKey"], cancellationToken: ct).ToListAsync(ct).ConfigureAwait(false)),
            (loaded, now) =>
            {
                if (loaded.Profile is not { Enrolled: true } profile)
                {
                    return NotEnrolled();
                }

                // The profile's ETag ties the renewal to the enrollment it was read under (a disable or re-enrollment
                // meanwhile wins); an emergency code used meanwhile fails its delete: either way, decide again.
                var changes = EmergencyCodeEntity.ReplaceAll(new Changes(Tables.Users), userKey, loaded.Codes, issued.Stored, now)
                    .Unchanged(profile)
                    .Add(AuditEntity.Create(userKey, now, AuditEvents.EmergencyCodesRenewed));
                renewedFor = profile;
                return new Decision<IReadOnlyList<string>>(new Result<IReadOnlyList<string>>(issued.Codes), changes);
            },
            cancellationToken).ConfigureAwait(false);
        if (renewed.Succeeded)
        {
            await notices.SendAsync(NoticeRecipient.Of(renewedFor), SmsTemplates.NoticeEmergencyCodesRenewed, null, cancellationToken).ConfigureAwait(false);
        }

        return renewed;
    }

    /// <summary>Forgets every remembered computer: their tokens stop making verification optional.</summary>
    public async Task<Result<int>> ForgetDevicesAsync(string? userId, CancellationToken cancellationToken)
    {
        var valid = await UserKeyAsync(userId, cancellationToken).ConfigureAwait(false);
        if (!valid.Succeeded)
        {
            return valid.Failure;
        }

        var userKey = valid.Value;

        var rows = await tables.QueryAsync<RowKeys>(Tables.Users, RowRange.Prefix(userKey, DeviceEntity.RowPrefix), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken)
            .ToListAsync<TableRow>(cancellationToken).ConfigureAwait(false);
        await tables.DeleteAllAsync(Tables.Users, rows, cancellationToken).ConfigureAwait(false);
        if (rows.Count > 0)
        {
            var audit = AuditEntity.Create(userKey, time.GetUtcNow(), AuditEvents.DevicesForgotten, detail: "count " + rows.Count);
            await optimistic.CommitAsync(new Changes(Tables.Users).Add(audit), cancellationToken).ConfigureAwait(false);
        }

        return rows.Count;
    }

    /// <summary>Lifts a lock (timed or until reset) and clears the count of wrong codes; 404 when not enrolled. A check counting meanwhile is decided again.</summary>
    public async Task<Result<bool>> ResetLockAsync(string? userId, CancellationToken cancellationToken)
    {
        var valid = await UserKeyAsync(userId, cancellationToken).ConfigureAwait(false);
        if (!valid.Succeeded)
        {
            return valid.Failure;
        }

        var userKey = valid.Value;

        return await optimistic.ChangeAsync(
            ct => tables.FindAsync<UserProfileEntity>(Tables.Users, userKey, UserProfileEntity.Row, ct),
            (profile, now) =>
            {
                if (profile is not { Enrolled: true })
                {
                    return NotEnrolled();
                }

                FactorLock.Reset(profile);
                return new Decision<bool>(true, new Changes(Tables.Users).Replace(profile).Add(AuditEntity.Create(userKey, now, AuditEvents.LockReset)));
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The latest <see cref="AuditLimit"/> events, newest first (their row keys sort that way).</summary>
    public async Task<Result<IReadOnlyList<AuditEvent>>> AuditAsync(string? userId, CancellationToken cancellationToken)
    {
        var valid = await UserKeyAsync(userId, cancellationToken).ConfigureAwait(false);
        if (!valid.Succeeded)
        {
            return valid.Failure;
        }

        var userKey = valid.Value;

        var events = new List<AuditEvent>(AuditLimit);
        await foreach (var e in tables.QueryAsync<AuditEntity>(Tables.Users, RowRange.Prefix(userKey, AuditEntity.RowPrefix), pageSize: AuditLimit, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events.Add(new AuditEvent(e.At, e.Event, e.Method, e.Detail));
            if (events.Count == AuditLimit)
            {
                break;
            }
        }

        return events;
    }

    private async Task<Result<string>> UserKeyAsync(string? userId, CancellationToken cancellationToken)
        => UserIds.Validate(userId) is { } invalid ? invalid : await userKeys.ForUserAsync(userId!, cancellationToken).ConfigureAwait(false);

    private static Failure NotEnrolled() => new(FailureKind.NotFound, "This user has not turned on two-factor authentication.");
}
