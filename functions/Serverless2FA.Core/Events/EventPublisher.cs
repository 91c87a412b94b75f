using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Core.Events;

/// <summary>
/// Puts an event on the events queue for <see cref="EventDelivery"/>; nothing when <see cref="EventsOptions.WebhookUrl"/>
/// is unset. A change reports its event after its own commit, through the outbox row written with it, so a failed
/// enqueue here loses nothing: the sweep queues the row again.
/// </summary>
public sealed class EventPublisher(EventQueues queue, IOptionsMonitor<EventsOptions> options, TimeProvider time, IEnumerable<IEventDeliveryObserver> observers)
{
    public bool Enabled => options.CurrentValue.Enabled;

    public async Task PublishAsync(EventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Enabled)
        {
            return;
        }

        await queue.SendAsync(message, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        var progress = new EventProgress(message, EventStatus.Queued, message.Attempt - 1, null, null, time.GetUtcNow(), null);
        foreach (var observer in observers)
        {
            observer.OnProgress(progress);
        }
    }
}
