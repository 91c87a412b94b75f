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
}
