using Microsoft.Extensions.Options;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Users;

/// <summary>
/// Deletes a user's audit events older than <see cref="ExpiryOptions.AuditRetention"/>: one bounded range of the
/// user's partition (older events sort after newer ones), deleted in transactions of at most 100; and the user's
/// approvals (<see cref="ApprovalEntity"/>) that can no longer be used. While events
/// remain it schedules itself again, a thirtieth of the retention later (at least a day): an event outlives its
/// retention by at most that much, and an active user costs one trim a few times a month.
/// </summary>
public sealed class AuditTrimHandler(Tables tables, Optimistic optimistic, IOptions<ExpiryOptions> options) : IExpiryHandler
{
    /// <summary>The index entry's target row: a name, not a row that exists.</summary>
    public const string TargetRow = "audit";

    private const int BatchSize = 100;

    public string Kind => ExpiryKinds.AuditTrim;

    /// <summary>The trim of a user's trail, due a trim interval after <paramref name="now"/>: part of the changes that start or continue the chain.</summary>
    internal Changes Schedule(Changes changes, string userKey, DateTimeOffset now)
        => changes.Schedule(ExpiryKinds.AuditTrim, userKey, TargetRow, now + Interval());

    /// <summary>Starts the trim chain for a user (at enrollment); a duplicate chain only trims what is already gone.</summary>
    public Task ScheduleAsync(string userKey, DateTimeOffset now, CancellationToken cancellationToken)
        => optimistic.CommitAsync(Schedule(new Changes(Tables.Users), userKey, now), cancellationToken);

    public async Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var userKey = entry.TargetPartitionKey;
        var boundary = AuditEntity.RowKeyAt(now - options.Value.AuditRetention);
        // Older events sort after newer ones: everything after the boundary, up to the end of the "audit-" rows.
        var old = RowRange.Between(userKey, boundary, AuditEntity.RowPrefix[..^1] + ".");
        var deleted = 0;
        var batch = new List<TableRow>(BatchSize);
        await foreach (var row in tables.QueryAsync<RowKeys>(Tables.Users, old, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            batch.Add(row);
            if (batch.Count == BatchSize)
            {
                deleted += await DeleteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }

        deleted += await DeleteAsync(batch, cancellationToken).ConfigureAwait(false);

        // Approvals are kept only while their verification or step-up could still be used; every approval also wrote
        // an event, so the chain is still running while any of them is left.
        await foreach (var approval in tables.QueryAsync<ApprovalEntity>(Tables.Users, RowRange.Prefix(userKey, ApprovalEntity.RowPrefix), select: ["PartitionKey", "RowKey", nameof(ApprovalEntity.KeepUntil)], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (approval.KeepUntil <= now)
            {
                batch.Add(approval);
                if (batch.Count == BatchSize)
                {
                    deleted += await DeleteAsync(batch, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        deleted += await DeleteAsync(batch, cancellationToken).ConfigureAwait(false);

        var remaining = RowRange.Through(userKey, AuditEntity.RowPrefix, boundary);
        await foreach (var _ in tables.QueryAsync<RowKeys>(Tables.Users, remaining, select: ["RowKey"], pageSize: 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await optimistic.CommitAsync(Schedule(new Changes(Tables.Users), userKey, now), cancellationToken).ConfigureAwait(false);
            break;
        }

        return deleted > 0 ? ExpiryOutcome.Expired : ExpiryOutcome.Gone;
    }

    private TimeSpan Interval() => TimeSpan.FromTicks(Math.Max(TimeSpan.FromDays(1).Ticks, options.Value.AuditRetention.Ticks / 30));

    private async Task<int> DeleteAsync(List<TableRow> batch, CancellationToken cancellationToken)
    {
        var count = batch.Count;
        if (count > 0)
        {
            await tables.DeleteAllAsync(Tables.Users, [.. batch], cancellationToken).ConfigureAwait(false);
            batch.Clear();
        }

        return count;
    }
}
