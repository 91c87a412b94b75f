using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Faults;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Events;

/// <summary>
/// Queues the events a commit wrote (their outbox rows), each as the message the relying app will receive: the
/// stored draft with the user id decrypted. A queue fault here loses nothing and fails nothing: the change is
/// committed, and the sweep queues a row nobody delivered (<see cref="EventStates.RequeueAfter"/>).
/// </summary>
public sealed partial class EventOutbox(EventPublisher publisher, UserKeys userKeys, IOptionsMonitor<EventsOptions> options, ILogger<EventOutbox> logger)
{
    /// <summary>Whether changes write their events at all: with no <c>Events:WebhookUrl</c>, nobody would receive them.</summary>
    public bool Enabled => options.CurrentValue.Enabled;

    /// <summary>The message of an outbox row, for the try after the ones it records.</summary>
    internal async Task<EventMessage> MessageOfAsync(EventEntity row, CancellationToken cancellationToken)
    {
        var userId = await userKeys.DecryptIdAsync(row.UserIdCipher, row.PartitionKey, cancellationToken).ConfigureAwait(false);
        return row.ToDraft().For(userId, row.PartitionKey, row.Attempts + 1);
    }

    /// <summary>
    /// Queues <paramref name="rows"/>, just committed. Not cancelled with the request: the change happened whether or
    /// not its caller still listens. The queue client's own budget (<c>Storage:RequestBudget</c>) bounds the wait.
    /// </summary>
    internal async Task PublishAsync(IReadOnlyList<EventEntity> rows)
    {
        foreach (var row in rows)
        {
            try
            {
                await publisher.PublishAsync(await MessageOfAsync(row, CancellationToken.None).ConfigureAwait(false), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (DependencyFaults.Is(e))
            {
                LogNotQueued(e, row.EventId, row.Type);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Event {EventId} ({EventType}) is committed but could not be queued; the expiry sweep queues it")]
    private partial void LogNotQueued(Exception exception, string eventId, string eventType);
}
