using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Core.Events;

namespace Serverless2FA.Functions.Events;

/// <summary>
/// Delivers one event from the events queue to the relying app (<c>Events:WebhookUrl</c>), signed; a failed try is
/// queued again with API.md's growing delay, and after <c>Events:RetryFor</c> the event is parked in the poison queue.
/// </summary>
/// <remarks>
/// Connection "Storage": the Functions host reads <c>Storage__queueServiceUri</c> with the managed identity in Azure,
/// and the local host uses the app's own queue client (<c>Storage:ConnectionString</c>).
/// </remarks>
public sealed class DeliverEvent(EventDelivery delivery)
{
    public const string Connection = "Storage";

    [Function(nameof(DeliverEvent))]
    public Task Run([QueueTrigger("%Events:Queue%", Connection = Connection)] QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return delivery.HandleAsync(message.MessageText, cancellationToken);
    }
}
