using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Results;

namespace Serverless2FA.Core.Storage;

/// <summary>
/// Optimistic concurrency, once for the whole service: load rows, decide over them (a pure function of the rows and
/// the clock), commit what the decision changes with the rows' ETags, and when someone else wrote first, load and
/// decide again, within one budget. The only code that knows what a conflict looks like (409, 412, or a row gone,
/// also inside a transaction); callers see a conflict only as a value: <see cref="Busy"/>, or false from a commit.
/// </summary>
/// <param name="outbox">Writes and queues the events decisions emit; without it (storage tests) events are not written.</param>
public sealed class Optimistic(Tables tables, ExpiryIndex expiry, TimeProvider time, EventOutbox? outbox = null)
{
    /// <summary>Decisions per change: each conflict means another writer finished, so even many racing requests get through.</summary>
    internal const int Budget = 16;

    /// <summary>The answer when every try of the budget lost a race.</summary>
    internal static readonly Failure Busy = new(FailureKind.Unavailable, "Too many changes at once. Try again.") { RetryAfter = TimeSpan.FromSeconds(1) };

    /// <summary>
    /// Loads with <paramref name="load"/>, decides with <paramref name="decide"/> and commits its changes; on a conflict
    /// loads and decides again. A decision that changes nothing writes nothing.
    /// </summary>
    /// <param name="busy">The answer when the budget runs out; <see cref="Busy"/> unless given.</param>
    internal async Task<Result<T>> ChangeAsync<TLoaded, T>(
        Func<CancellationToken, Task<TLoaded>> load,
        Func<TLoaded, DateTimeOffset, Decision<T>> decide,
        CancellationToken cancellationToken,
        Failure? busy = null)
    {
        for (var attempt = 0; attempt < Budget; attempt++)
        {
            var loaded = await load(cancellationToken).ConfigureAwait(false);
            var decision = decide(loaded, time.GetUtcNow());
            if (decision.Changes is not { IsEmpty: false } changes || await TryCommitAsync(changes, cancellationToken).ConfigureAwait(false))
            {
                return decision.Answer;
            }
        }

        return busy ?? Busy;
    }

    /// <summary>
    /// Commits <paramref name="changes"/>: index entries first, then the rows (several in one transaction), the outbox
    /// rows of the events it emits among them; after the commit, the events are queued.
    /// </summary>
    /// <returns>False when a row was written by someone else since it was loaded (nothing of the rows is then written).</returns>
    internal async Task<bool> TryCommitAsync(Changes changes, CancellationToken cancellationToken)
    {
        var events = outbox is { Enabled: true } ? changes.Events : [];
        foreach (var (kind, partitionKey, rowKey, at) in changes.DueEntries)
        {
            await expiry.AddAsync(kind, changes.Table, partitionKey, rowKey, at, cancellationToken).ConfigureAwait(false);
        }

        foreach (var row in events)
        {
            await expiry.AddAsync(EventStates.ExpiryKind, changes.Table, row.PartitionKey, row.RowKey, row.CheckAt, cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<TableTransactionAction> rows = events.Count == 0
            ? changes.Rows
            : [.. changes.Rows, .. events.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e))];
        if (rows.Count == 0)
        {
            return true;
        }

        if (!await WriteAsync(changes.Table, rows, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (events.Count > 0)
        {
            await outbox!.PublishAsync(events).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Commits changes that nobody races (fresh keys, blind writes): a conflict is then a fault.</summary>
    internal async Task CommitAsync(Changes changes, CancellationToken cancellationToken)
    {
        if (!await TryCommitAsync(changes, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"A write to {changes.Table} that nothing should race met a conflict.");
        }
    }

    /// <summary>
    /// Someone else wrote first: the row exists (409), changed (412), or is gone (404) since it was loaded. A missing
    /// table is a fault, not a conflict.
    /// </summary>
    internal static bool IsConflict(RequestFailedException e)
        => e.Status is 409 or 412 || (e.Status == 404 && e.ErrorCode != TableErrorCode.TableNotFound.ToString());

    /// <returns>False on a conflict.</returns>
    private async Task<bool> WriteAsync(string tableName, IReadOnlyList<TableTransactionAction> rows, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(tableName, cancellationToken).ConfigureAwait(false);
        try
        {
            if (rows.Count == 1)
            {
                return await WriteAsync(table, rows[0], cancellationToken).ConfigureAwait(false);
            }

            await table.SubmitTransactionAsync(rows, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (IsConflict(e))
        {
            return false;
        }
    }

    /// <returns>False when a row deleted as loaded was gone already (a delete whatever it holds is then done).</returns>
    private static async Task<bool> WriteAsync(TableClient table, TableTransactionAction row, CancellationToken cancellationToken)
    {
        using var response = row.ActionType switch
        {
            TableTransactionActionType.Add => await table.AddEntityAsync(row.Entity, cancellationToken).ConfigureAwait(false),
            TableTransactionActionType.UpdateReplace => await table.UpdateEntityAsync(row.Entity, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false),
            TableTransactionActionType.UpdateMerge => await table.UpdateEntityAsync(row.Entity, row.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false),
            TableTransactionActionType.UpsertReplace => await table.UpsertEntityAsync(row.Entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false),
            TableTransactionActionType.UpsertMerge => await table.UpsertEntityAsync(row.Entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false),
            // The SDK answers a delete of a row already gone with its 404 rather than an exception.
            _ => await table.DeleteEntityAsync(row.Entity, row.ETag, cancellationToken).ConfigureAwait(false),
        };
        return response.Status != 404 || row.ETag == ETag.All;
    }
}
