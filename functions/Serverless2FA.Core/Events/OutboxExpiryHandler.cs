using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Events;

/// <summary>
/// The sweep's part of the outbox: an event row still undelivered when its check falls due was committed and never
/// queued (a crash or a queue fault between the commit and the enqueue), or its retry went missing, so it is queued
/// again, with the same <c>webhook-id</c> and the try after the last one it records; a delivered or parked row is
/// deleted. A row still waiting for a retry gets a later check. Decided with the row's ETag, so two sweeps queue it once.
/// </summary>
public sealed class OutboxExpiryHandler(Tables tables, Optimistic optimistic, EventOutbox outbox) : IExpiryHandler
{
    public string Kind => EventStates.ExpiryKind;

    public async Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var swept = await optimistic.ChangeAsync(
            ct => tables.FindAsync<EventEntity>(Tables.Users, entry.TargetPartitionKey, entry.TargetRowKey, ct),
            (row, _) => Decide(row, now, outbox.Enabled),
            cancellationToken).ConfigureAwait(false);
        if (!swept.Succeeded)
        {
            throw new InvalidOperationException("The event's outbox row kept changing while it was being swept.");
        }

        if (swept.Value.Requeue is { } requeued)
        {
            await outbox.PublishAsync([requeued]).ConfigureAwait(false);
        }

        return swept.Value.Outcome;
    }

    internal static Decision<Swept> Decide(EventEntity? row, DateTimeOffset now, bool enabled)
    {
        if (row is null)
        {
            return new Decision<Swept>(new Swept(ExpiryOutcome.Gone));
        }

        var changes = new Changes(Tables.Users);
        // Events turned off since it was written: nobody will deliver it.
        if (row.IsSettled || !enabled)
        {
            return new Decision<Swept>(new Swept(ExpiryOutcome.Expired), changes.Delete(row));
        }

        if (row.CheckAt > now)
        {
            return new Decision<Swept>(new Swept(ExpiryOutcome.NotDue), changes.Schedule(EventStates.ExpiryKind, row.PartitionKey, row.RowKey, row.CheckAt));
        }

        row.CheckAt = now + EventStates.RequeueAfter;
        row.UpdatedAt = now;
        row.Detail = "queued again by the sweep";
        return new Decision<Swept>(new Swept(ExpiryOutcome.NotDue, row), changes.Replace(row, new Due(EventStates.ExpiryKind, row.CheckAt)));
    }

    /// <param name="Requeue">The row to queue again once its new check is committed.</param>
    internal readonly record struct Swept(ExpiryOutcome Outcome, EventEntity? Requeue = null);
}
