namespace Serverless2FA.Client;

/// <summary>Where the service is and how the client calls it; bound once, validated at start-up.</summary>
public sealed class Serverless2FAClientOptions
{
    /// <summary>The service's origin, e.g. <c>https://2fa.example.com</c> (locally <c>http://localhost:7071</c>).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>A function key of the deployment, sent as <c>x-functions-key</c>; keep it server-side. Not needed locally.</summary>
    public string? FunctionKey { get; set; }

    /// <summary>
    /// Longest wait for one attempt. The service answers within its own budgets (10 s on storage and on Twilio),
    /// so the default leaves room for those and the network.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest wait for a call with all its retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>Retries after the first attempt, for calls that are safe to repeat (see each method).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>
    /// A <c>Retry-After</c> longer than this is not waited for: the answer is returned to the caller, whose user
    /// should not watch a spinner for a minute. Shorter ones are honoured exactly.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The events signing secret (<c>whsec_…</c>, the service's Key Vault secret <c>events-signing-secret</c>) for
    /// <see cref="Webhooks.Serverless2FAWebhookVerifier"/>. Only needed to receive events.
    /// </summary>
    public string? WebhookSecret { get; set; }
}
