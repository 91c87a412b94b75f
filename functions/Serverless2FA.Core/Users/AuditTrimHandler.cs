using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Users;

/// <summary>
/// Deletes a user's audit events older than <see cref="ExpiryOptions.AuditRetention"/>: one bounded range of the
/// user's partition (older events sort after newer ones), deleted in transactions of at most 100. While events
/// remain it schedules itself again, a thirtieth of the retention later (at least a day): an event outlives its
/// retention by at most that much, and an active user costs one trim a few times a month.
/// </summary>
public sealed class AuditTrimHandler(Tables tables, ExpiryIndex expiry, IOptions<ExpiryOptions> options) : IExpiryHandler
{
    /// <summary>The index entry's target row: a name, not a row that exists.</summary>
    public const string TargetRow = "audit";

    private const int BatchSize = 100;

    public string Kind => ExpiryKinds.AuditTrim;

    /// <summary>Starts the trim chain for a user (at enrollment); a duplicate chain only trims what is already gone.</summary>
    public Task ScheduleAsync(string userKey, DateTimeOffset now, CancellationToken cancellationToken)
        => expiry.AddAsync(ExpiryKinds.AuditTrim, Tables.Users, userKey, TargetRow, now + Interval(), cancellationToken);

    public async Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        var userKey = entry.TargetPartitionKey;
        var boundary = AuditEntity.RowKeyAt(now - options.Value.AuditRetention);
        var old = $"PartitionKey eq '{userKey}' and RowKey gt '{boundary}' and RowKey lt '{AuditEntity.RowPrefix[..^1]}.'";
        var deleted = 0;
        var batch = new List<TableTransactionAction>(BatchSize);
        await foreach (var row in users.QueryAsync<TableEntity>(old, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
            if (batch.Count == BatchSize)
            {
                deleted += await DeleteAsync(users, batch, cancellationToken).ConfigureAwait(false);
            }
        }

        deleted += await DeleteAsync(users, batch, cancellationToken).ConfigureAwait(false);

        var remaining = $"PartitionKey eq '{userKey}' and RowKey ge '{AuditEntity.RowPrefix}' and RowKey le '{boundary}'";
        await foreach (var _ in users.QueryAsync<TableEntity>(remaining, maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await expiry.AddAsync(ExpiryKinds.AuditTrim, Tables.Users, userKey, TargetRow, now + Interval(), cancellationToken).ConfigureAwait(false);
            break;
        }

        return deleted > 0 ? ExpiryOutcome.Expired : ExpiryOutcome.Gone;
    }

    private TimeSpan Interval() => TimeSpan.FromTicks(Math.Max(TimeSpan.FromDays(1).Ticks, options.Value.AuditRetention.Ticks / 30));

    private static async Task<int> DeleteAsync(TableClient users, List<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        var count = batch.Count;
        try
        {
            await users.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            // Another trim got there first: delete what is left one by one.
            foreach (var action in batch)
            {
                await users.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            }
        }

        batch.Clear();
        return count;
    }
}
