using Microsoft.Extensions.Logging;
using Serverless2FA.Core.Faults;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Events;

/// <summary>
/// The outbox rows as delivery goes: read before a try, so an event already delivered (a copy queued again by the
/// sweep) is not sent again, and marked after each try, so the sweep and <c>dev/events</c> know where it stands. A
/// storage fault here never stops a delivery: at worst the receiver sees the same <c>webhook-id</c> once more.
/// </summary>
public sealed partial class OutboxRows(Tables tables, Optimistic optimistic, EventOutbox outbox, ILogger<OutboxRows> logger)
{
    /// <summary>
    /// The outbox rows still kept (undelivered ones, and delivered or parked ones until the sweep removes them), newest
    /// first, at most <paramref name="max"/>. For the local host's <c>dev/events</c> only: the rows live in every
    /// user's partition, so this is the service's one read across partitions, a scan no deployed code path makes.
    /// </summary>
    public async Task<IReadOnlyList<OutboxEvent>> ListAsync(int max, CancellationToken cancellationToken)
    {
        var filter = $"RowKey ge '{EventEntity.RowPrefix}' and RowKey lt '{EventEntity.RowPrefix}~'";
        var rows = await tables.QueryAsync<EventEntity>(Tables.Users, filter, cancellationToken: cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        var listed = new List<OutboxEvent>();
        foreach (var row in rows.OrderByDescending(r => r.OccurredAt).Take(max))
        {
            var message = await outbox.MessageOfAsync(row, cancellationToken).ConfigureAwait(false);
            listed.Add(new OutboxEvent(message with { Attempt = row.Attempts }, row.Status, row.LastStatusCode, row.Detail, row.UpdatedAt, row.NextTryAt));
        }

        return listed;
    }

    /// <summary>Is the event of <paramref name="message"/> delivered or parked already (by another copy of it)?</summary>
    public async Task<bool> IsSettledAsync(EventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Outbox is null)
        {
            return false;
        }

        try
        {
            var row = await tables.FindAsync<EventEntity>(Tables.Users, message.Outbox, EventEntity.RowKeyOf(message.Id), cancellationToken).ConfigureAwait(false);
            return row?.IsSettled == true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && DependencyFaults.Is(e))
        {
            LogNotRead(e, message.Id);
            return false;
        }
    }

    /// <summary>Marks the event's row with <paramref name="progress"/>; a row delivered or parked stays so.</summary>
    public async Task RecordAsync(EventProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (progress.Event.Outbox is not { } userKey)
        {
            return;
        }

        try
        {
            await optimistic.ChangeAsync(
                ct => tables.FindAsync<EventEntity>(Tables.Users, userKey, EventEntity.RowKeyOf(progress.Event.Id), ct),
                (row, _) => Record(row, progress),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && DependencyFaults.Is(e))
        {
            LogNotMarked(e, progress.Event.Id, progress.Status);
        }
    }

    internal static Decision<bool> Record(EventEntity? row, EventProgress progress)
    {
        if (row is null || row.IsSettled || progress.Status == EventStatus.Queued)
        {
            return new Decision<bool>(false);
        }

        row.Status = progress.Status switch
        {
            EventStatus.Delivered => EventStates.Delivered,
            EventStatus.Parked => EventStates.Parked,
            _ => EventStates.Retrying,
        };
        row.Attempts = Math.Max(row.Attempts, progress.Attempts);
        row.LastStatusCode = progress.LastStatusCode;
        row.Detail = progress.Detail;
        row.UpdatedAt = progress.At;
        row.NextTryAt = progress.NextTryAt;
        if (progress.NextTryAt is { } next && next + EventStates.RequeueAfter > row.CheckAt)
        {
            // The sweep's next look moves past the retry: the entry it finds earlier only points it here.
            row.CheckAt = next + EventStates.RequeueAfter;
        }

        return new Decision<bool>(true, new Changes(Tables.Users).Replace(row));
    }

    [LoggerMessage(LogLevel.Warning, "Could not read the outbox row of event {EventId}; it is tried anyway")]
    private partial void LogNotRead(Exception exception, string eventId);

    [LoggerMessage(LogLevel.Warning, "Could not mark the outbox row of event {EventId} {Status}; the sweep may queue it once more")]
    private partial void LogNotMarked(Exception exception, string eventId, EventStatus status);
}
