using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Core.Events;

internal static class EventsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the events queue (Azure.Storage.Queues, held to <c>Storage:RequestBudget</c> like the tables), the
    /// signed delivery and its schedule, and binds <see cref="EventsOptions"/>. The caller binds <see cref="StorageOptions"/>.
    /// </summary>
    /// <param name="development">Outside Development the webhook URL must be https: the events are signed, not secret, but they name users.</param>
    public static IServiceCollection AddEvents(this IServiceCollection services, bool development)
    {
        EventsOptions.Bind(services, development);

        services.TryAddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            // Base64, as the Functions host's queue trigger reads messages by default (host.json messageEncoding).
            var options = RetryBudget.Within(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, storage.RequestBudget);
            return string.IsNullOrWhiteSpace(storage.ConnectionString)
                ? new QueueServiceClient(
                    storage.QueueServiceUri ?? throw new InvalidOperationException("Set Storage:QueueServiceUri or Storage:ConnectionString."),
                    new DefaultAzureCredential(),
                    options)
                : new QueueServiceClient(storage.ConnectionString, options);
        });
        services.TryAddSingleton<EventQueues>();
        services.TryAddSingleton(RetrySchedule.Standard);
        services.TryAddSingleton<EventPublisher>();
        // The outbox: events written with their changes, queued after the commit, marked as their delivery goes.
        services.TryAddSingleton<EventOutbox>();
        services.TryAddSingleton<OutboxRows>();
        // The factory owns the client's handlers (and recycles them), so the sender itself is a singleton.
        services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<EventDelivery>();
        return services;
    }
}
