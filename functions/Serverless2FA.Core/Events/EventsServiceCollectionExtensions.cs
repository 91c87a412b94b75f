using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Core.Events;

public static class EventsServiceCollectionExtensions
{
    /// <summary>Queue names Azure accepts, short enough that <c>&lt;queue&gt;-poison</c> is one too.</summary>
    private const int MaxQueueLength = 63 - 7;

    /// <summary>
    /// Registers the events queue (Azure.Storage.Queues, held to <c>Storage:RequestBudget</c> like the tables), the
    /// signed delivery and its schedule, and binds <see cref="EventsOptions"/>. The caller binds <see cref="StorageOptions"/>.
    /// </summary>
    /// <param name="development">Outside Development the webhook URL must be https: the events are signed, not secret, but they name users.</param>
    public static IServiceCollection AddEvents(this IServiceCollection services, bool development)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<EventsOptions>().BindConfiguration(EventsOptions.Section)
            .Validate(o => o.WebhookUrl is null || (o.WebhookUrl.IsAbsoluteUri && (o.WebhookUrl.Scheme == Uri.UriSchemeHttps || (development && o.WebhookUrl.Scheme == Uri.UriSchemeHttp))),
                development ? "Events:WebhookUrl must be an absolute http or https URL." : "Events:WebhookUrl must be an https URL outside Development.")
            .Validate(o => o.RetryFor >= TimeSpan.FromSeconds(1) && o.RetryFor <= TimeSpan.FromDays(30), "Events:RetryFor must be between 00:00:01 and 30.00:00:00.")
            .Validate(o => IsQueueName(o.Queue), $"Events:Queue must be 3-{MaxQueueLength} lower-case letters, digits and single hyphens, starting and ending with a letter or digit.")
            .ValidateOnStart();
        services.AddOptions<StorageOptions>()
            .Validate<IOptions<EventsOptions>>(
                (storage, events) => !events.Value.Enabled || !string.IsNullOrWhiteSpace(storage.ConnectionString) || storage.QueueServiceUri is not null,
                "Events need a queue: set Storage:QueueServiceUri (with a managed identity) or Storage:ConnectionString.");

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
        // A typed client (transient), so its handler is recycled by the factory; redirects are not followed.
        services.AddHttpClient<WebhookSender>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.TryAddTransient<EventDelivery>();
        return services;
    }

    private static bool IsQueueName(string? name)
        => name is { Length: >= 3 and <= MaxQueueLength }
           && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
           && name[0] != '-' && name[^1] != '-'
           && !name.Contains("--", StringComparison.Ordinal);
}
