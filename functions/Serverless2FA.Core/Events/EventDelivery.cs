using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Core.Events;

/// <summary>
/// Handles one queue message of the events queue: one try to deliver it and then, when it failed, the next try is
/// put on the queue with API.md's delay (<see cref="RetrySchedule"/>), or — past <see cref="EventsOptions.RetryFor"/> —
/// the event is parked in the poison queue with an error log line. Nothing is dropped: a message this service cannot
/// read is parked as it came.
/// </summary>
/// <remarks>
/// The schedule is carried by the messages themselves (each retry is a new message, invisible until its time, with
/// the same <c>webhook-id</c> and the try's number), not by the Functions host's dequeue count: the host would retry
/// a throwing function at one fixed visibility timeout and park it after maxDequeueCount tries, which cannot give
/// 24 hours of growing delays. This method throws only when it cannot put the retry or the parked event on a queue;
/// then the host's own retries (host.json) and, after them, its poison queue keep the message.
/// </remarks>
public sealed partial class EventDelivery(
    WebhookSender sender,
    EventQueues queue,
    OutboxRows rows,
    RetrySchedule schedule,
    IOptionsMonitor<EventsOptions> options,
    TimeProvider time,
    IEnumerable<IEventDeliveryObserver> observers,
    ILogger<EventDelivery> logger)
{
    public async Task HandleAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var message = EventMessage.Parse(text, out var problem);
        if (message is null)
        {
            await queue.ParkAsync(text, cancellationToken).ConfigureAwait(false);
            LogUnreadable(queue.PoisonName, problem!);
            return;
        }

        // A copy the sweep queued again while the first was still on its way: the receiver has it already.
        if (await rows.IsSettledAsync(message, cancellationToken).ConfigureAwait(false))
        {
            LogSettled(message.Id, message.Type);
            return;
        }

        var outcome = await sender.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (outcome.Delivered)
        {
            LogDelivered(message.Id, message.Type, message.Attempt, outcome.Status);
            await ReportAsync(new(message, EventStatus.Delivered, message.Attempt, outcome.Status, outcome.Detail, now, null), cancellationToken).ConfigureAwait(false);
            return;
        }

        var retryFor = options.CurrentValue.RetryFor;
        if (schedule.NextDelay(message.Attempt, message.Timestamp, now, retryFor) is { } delay)
        {
            await queue.SendAsync(message.NextAttempt(), delay, cancellationToken).ConfigureAwait(false);
            LogRetrying(message.Id, message.Type, message.Attempt, outcome.Detail, delay);
            await ReportAsync(new(message, EventStatus.Retrying, message.Attempt, outcome.Status, outcome.Detail, now, now + delay), cancellationToken).ConfigureAwait(false);
            return;
        }

        await queue.ParkAsync(message.ToJson(), cancellationToken).ConfigureAwait(false);
        LogParked(message.Id, message.Type, message.Attempt, now - message.Timestamp, outcome.Detail, queue.PoisonName);
        await ReportAsync(new(message, EventStatus.Parked, message.Attempt, outcome.Status, outcome.Detail, now, null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the event's outbox row, then tells the observers.</summary>
    private async Task ReportAsync(EventProgress progress, CancellationToken cancellationToken)
    {
        await rows.RecordAsync(progress, cancellationToken).ConfigureAwait(false);
        foreach (var observer in observers)
        {
            observer.OnProgress(progress);
        }
    }

    [LoggerMessage(LogLevel.Information, "Event {EventId} ({EventType}) delivered on try {Attempt}: answered {Status}")]
    private partial void LogDelivered(string eventId, string eventType, int attempt, int? status);

    [LoggerMessage(LogLevel.Warning, "Event {EventId} ({EventType}) try {Attempt} failed ({Reason}); trying again in {Delay}")]
    private partial void LogRetrying(string eventId, string eventType, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(LogLevel.Error, "Event {EventId} ({EventType}) parked in queue {PoisonQueue} after {Attempt} tries over {Elapsed} (Events:RetryFor); last try: {Reason}. Replay it as README.md says")]
    private partial void LogParked(string eventId, string eventType, int attempt, TimeSpan elapsed, string reason, string poisonQueue);

    [LoggerMessage(LogLevel.Information, "Event {EventId} ({EventType}) is delivered already; this copy of it is not sent")]
    private partial void LogSettled(string eventId, string eventType);

    [LoggerMessage(LogLevel.Error, "An events queue message this service cannot read was parked in queue {PoisonQueue}: {Problem}")]
    private partial void LogUnreadable(string poisonQueue, string problem);
}
