using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Enrollment;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Verification;

namespace Serverless2FA.Core.Users;

/// <summary>What the relying app may do to a user's two-factor set-up: turn it off, renew emergency codes, forget computers, lift a lock, read the trail.</summary>
public sealed class TwoFactorManagementService(Tables tables, UserKeys userKeys, KeyRing keys, TimeProvider time, ILogger<TwoFactorManagementService> logger)
{
    public const int AuditLimit = 50;
    private const int MaxConflicts = 8;
    private const int BatchSize = 99;

    /// <summary>
    /// Turns two-factor off: deletes the profile (seed and phone ciphers), the emergency codes, the remembered computers
    /// and any pending enrollment. The audit trail stays. Unknown users succeed too: the end state is the same.
    /// </summary>
    public async Task<Result<bool>> DisableAsync(string? userId, CancellationToken cancellationToken)
    {
        var (userKey, users, invalid) = await OpenAsync(userId, cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        var rows = new List<ITableEntity>();
        await foreach (var row in users.QueryAsync<TableEntity>(RowRange.Partition(userKey), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!row.RowKey.StartsWith(AuditEntity.RowPrefix, StringComparison.Ordinal))
            {
                rows.Add(row);
            }
        }

        var enrolled = rows.Any(r => r.RowKey == UserProfileEntity.Row);
        await DeleteAsync(users, rows, cancellationToken).ConfigureAwait(false);
        if (enrolled)
        {
            await users.AddEntityAsync(AuditEntity.Create(userKey, time.GetUtcNow(), AuditEvents.Disabled), cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Two-factor turned off for {UserKey}", userKey);
        }

        return true;
    }

    /// <summary>New emergency codes, shown once; the old ones are deleted in the same transaction.</summary>
    public async Task<Result<IReadOnlyList<string>>> RenewEmergencyCodesAsync(string? userId, CancellationToken cancellationToken)
    {
        var (userKey, users, invalid) = await OpenAsync(userId, cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        var codes = EmergencyCodes.Generate();
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var profile = await users.GetEntityIfExistsAsync<UserProfileEntity>(userKey, UserProfileEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!profile.HasValue || !profile.Value!.Enrolled)
            {
                return NotEnrolled();
            }

            var now = time.GetUtcNow();
            var oldCodes = new List<ITableEntity>();
            await foreach (var old in users.QueryAsync<TableEntity>(RowRange.Prefix(userKey, EmergencyCodeEntity.RowPrefix), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                oldCodes.Add(old);
            }

            var hashed = new List<(string Salt, string Hash)>(codes.Count);
            foreach (var code in codes)
            {
                var salt = Randomness.Token(8);
                hashed.Add((salt, await keys.CodeHashAsync(salt, code, cancellationToken).ConfigureAwait(false)));
            }

            // The profile's ETag ties the renewal to the enrollment it was read under (a disable or re-enrollment meanwhile wins).
            var actions = EmergencyCodeRows.Replace(userKey, oldCodes, hashed, now).ToList();
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(userKey, UserProfileEntity.Row), profile.Value.ETag));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, AuditEntity.Create(userKey, now, AuditEvents.EmergencyCodesRenewed)));
            try
            {
                await users.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return new Result<IReadOnlyList<string>>(codes);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 or 404)
            {
                // An emergency code was used, or the profile changed, meanwhile: start over on what is there now.
            }
        }

        return new Failure(FailureKind.Unavailable, "Too many changes at once. Try again.") { RetryAfter = TimeSpan.FromSeconds(1) };
    }

    /// <summary>Forgets every remembered computer: their tokens stop making verification optional.</summary>
    public async Task<Result<int>> ForgetDevicesAsync(string? userId, CancellationToken cancellationToken)
    {
        var (userKey, users, invalid) = await OpenAsync(userId, cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        var rows = new List<ITableEntity>();
        await foreach (var row in users.QueryAsync<TableEntity>(RowRange.Prefix(userKey, DeviceEntity.RowPrefix), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        await DeleteAsync(users, rows, cancellationToken).ConfigureAwait(false);
        if (rows.Count > 0)
        {
            await users.AddEntityAsync(AuditEntity.Create(userKey, time.GetUtcNow(), AuditEvents.DevicesForgotten, detail: "count " + rows.Count), cancellationToken).ConfigureAwait(false);
        }

        return rows.Count;
    }

    /// <summary>Lifts a lock (timed or until reset) and clears the count of wrong codes; 404 when not enrolled.</summary>
    public async Task<Result<bool>> ResetLockAsync(string? userId, CancellationToken cancellationToken)
    {
        var (userKey, users, invalid) = await OpenAsync(userId, cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var found = await users.GetEntityIfExistsAsync<UserProfileEntity>(userKey, UserProfileEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!found.HasValue || !found.Value!.Enrolled)
            {
                return NotEnrolled();
            }

            var profile = found.Value;
            FactorLock.Reset(profile);
            try
            {
                await users.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, profile, profile.ETag),
                        new TableTransactionAction(TableTransactionActionType.Add, AuditEntity.Create(userKey, time.GetUtcNow(), AuditEvents.LockReset)),
                    ],
                    cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 or 404)
            {
                // A check counted meanwhile: reset what it wrote.
            }
        }

        return new Failure(FailureKind.Unavailable, "Too many changes at once. Try again.") { RetryAfter = TimeSpan.FromSeconds(1) };
    }

    /// <summary>The latest <see cref="AuditLimit"/> events, newest first (their row keys sort that way).</summary>
    public async Task<Result<IReadOnlyList<AuditEvent>>> AuditAsync(string? userId, CancellationToken cancellationToken)
    {
        var (userKey, users, invalid) = await OpenAsync(userId, cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        var events = new List<AuditEvent>(AuditLimit);
        await foreach (var page in users.QueryAsync<AuditEntity>(RowRange.Prefix(userKey, AuditEntity.RowPrefix), maxPerPage: AuditLimit, cancellationToken: cancellationToken).AsPages().ConfigureAwait(false))
        {
            events.AddRange(page.Values.Take(AuditLimit - events.Count).Select(e => new AuditEvent(e.At, e.Event, e.Method, e.Detail)));
            if (events.Count >= AuditLimit)
            {
                break;
            }
        }

        return events;
    }

    private async Task<(string UserKey, TableClient Users, Failure? Invalid)> OpenAsync(string? userId, CancellationToken cancellationToken)
    {
        if (UserIds.Validate(userId) is { } invalid)
        {
            return (string.Empty, null!, invalid);
        }

        var userKey = await userKeys.ForUserAsync(userId!, cancellationToken).ConfigureAwait(false);
        return (userKey, await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>Deletes in transactions of at most 99 rows; a row already gone is fine.</summary>
    private static async Task DeleteAsync(TableClient users, List<ITableEntity> rows, CancellationToken cancellationToken)
    {
        foreach (var batch in rows.Chunk(BatchSize))
        {
            try
            {
                await users.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 404)
            {
                foreach (var row in batch)
                {
                    await users.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static Failure NotEnrolled() => new(FailureKind.NotFound, "This user has not turned on two-factor authentication.");
}
