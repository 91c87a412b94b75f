using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Serverless2FA.Core.Options;

/// <summary>Signed events to the relying app (Standard Webhooks), delivered at least once through a Storage queue.</summary>
public sealed class EventsOptions
{
    public const string Section = "Events";

    /// <summary>The relying app's webhook endpoint; unset, no events are sent. https outside Development.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>How long an undelivered event is retried before it is parked in the poison queue.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The Storage queue the events wait in (3-56 lower-case letters, digits and single hyphens, so that
    /// <c>&lt;queue&gt;-poison</c> is a valid name too). The queue-triggered function reads it as <c>%Events:Queue%</c>.
    /// </summary>
    public string Queue { get; set; } = "s2fa-events";

    /// <summary>Whether events are sent at all.</summary>
    public bool Enabled => WebhookUrl is not null;

    /// <summary>Queue names Azure accepts, short enough that <c>&lt;queue&gt;-poison</c> is one too.</summary>
    private const int MaxQueueLength = 63 - 7;

    /// <param name="development">Outside Development the webhook URL must be https: the events are signed, not secret, but they name users.</param>
    internal static OptionsBuilder<EventsOptions> Bind(IServiceCollection services, bool development)
    {
        // Events travel through a queue: with a webhook set, storage must name one.
        services.AddOptions<StorageOptions>()
            .Validate<IOptions<EventsOptions>>(
                (storage, events) => !events.Value.Enabled || !string.IsNullOrWhiteSpace(storage.ConnectionString) || storage.QueueServiceUri is not null,
                "Events need a queue: set Storage:QueueServiceUri (with a managed identity) or Storage:ConnectionString.");
        return services.AddOptions<EventsOptions>().BindConfiguration(Section)
            .Validate(o => o.WebhookUrl is null || (o.WebhookUrl.IsAbsoluteUri && (o.WebhookUrl.Scheme == Uri.UriSchemeHttps || (development && o.WebhookUrl.Scheme == Uri.UriSchemeHttp))),
                development ? "Events:WebhookUrl must be an absolute http or https URL." : "Events:WebhookUrl must be an https URL outside Development.")
            .Validate(o => o.RetryFor >= TimeSpan.FromSeconds(1) && o.RetryFor <= TimeSpan.FromDays(30), "Events:RetryFor must be between 00:00:01 and 30.00:00:00.")
            .Validate(o => IsQueueName(o.Queue), $"Events:Queue must be 3-{MaxQueueLength} lower-case letters, digits and single hyphens, starting and ending with a letter or digit.")
            .ValidateOnStart();
    }

    private static bool IsQueueName(string? name)
        => name is { Length: >= 3 and <= MaxQueueLength }
           && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
           && name[0] != '-' && name[^1] != '-'
           && !name.Contains("--", StringComparison.Ordinal);
}
