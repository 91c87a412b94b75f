using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Serverless2FA.Client.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Serverless2FA.Client.Webhooks;

/// <summary>
/// Verifies a request the service posted to the relying app's webhook, per the Standard Webhooks specification
/// (<c>webhook-id</c>, <c>webhook-timestamp</c> within five minutes, <c>webhook-signature: v1,…</c> with the
/// <c>whsec_…</c> secret), and reads the typed event. Register it with <c>AddServerless2FAClient</c> and set
/// <see cref="Serverless2FAClientOptions.WebhookSecret"/>.
/// </summary>
public sealed class Serverless2FAWebhookVerifier
{
    /// <summary>The service never posts more than this; a longer body is refused unread.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private readonly StandardWebhook? _webhook;

    /// <summary>Creates the verifier with the secret from the options.</summary>
    public Serverless2FAWebhookVerifier(IOptions<Serverless2FAClientOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var secret = options.Value.WebhookSecret;
        _webhook = string.IsNullOrEmpty(secret) ? null : Create(secret);
    }

    /// <summary>Creates a verifier for <paramref name="secret"/> (<c>whsec_…</c>).</summary>
    public Serverless2FAWebhookVerifier(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _webhook = Create(secret);
    }

    /// <summary>Reads the request's body (at most <see cref="MaxBodyBytes"/>) and verifies it.</summary>
    /// <exception cref="Serverless2FAWebhookException">Not signed with the secret, too old or new, or not an event.</exception>
    public async Task<Serverless2FAEvent> VerifyAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new Serverless2FAWebhookException("The body is larger than an event can be.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new Serverless2FAWebhookException("The body is larger than an event can be.");
            }

            buffer.Write(chunk, 0, read);
        }

        string body;
        try
        {
            body = new UTF8Encoding(false, true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException ex)
        {
            throw new Serverless2FAWebhookException("The body is not UTF-8.", ex);
        }

        return Verify(body, request.Headers);
    }

    /// <summary>Verifies <paramref name="body"/> (exactly as received) against the Standard Webhooks headers.</summary>
    /// <exception cref="Serverless2FAWebhookException">Not signed with the secret, too old or new, or not an event.</exception>
    public Serverless2FAEvent Verify(string body, IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(headers);
        var webhook = _webhook ?? throw new InvalidOperationException("Serverless2FA: set WebhookSecret (whsec_…) to receive events.");
        try
        {
            webhook.Verify(body, headers);
        }
        catch (WebhookVerificationException ex)
        {
            throw new Serverless2FAWebhookException("The event's signature does not verify: " + ex.Message, ex);
        }

        return Read(headers["webhook-id"].ToString(), body);
    }

    private static Serverless2FAEvent Read(string id, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetString() ?? throw new Serverless2FAWebhookException("The event has no type.");
            var timestamp = root.GetProperty("timestamp").GetDateTimeOffset();
            var data = root.GetProperty("data").Clone();
            var d = data.Deserialize<EventData>(ApiJson.Options) ?? new EventData();
            var userId = d.UserId ?? throw new Serverless2FAWebhookException("The event names no userId.");
            return type switch
            {
                "enrollment.completed" => new EnrollmentCompletedEvent
                {
                    Id = id, Type = type, Timestamp = timestamp, UserId = userId, Data = data,
                    EnrollmentId = d.EnrollmentId, Method = d.Method, Policy = d.Policy, Replaced = d.Replaced == true,
                },
                "enrollment.expired" => new EnrollmentExpiredEvent { Id = id, Type = type, Timestamp = timestamp, UserId = userId, Data = data, EnrollmentId = d.EnrollmentId },
                "enrollment.failed" => new EnrollmentFailedEvent { Id = id, Type = type, Timestamp = timestamp, UserId = userId, Data = data, EnrollmentId = d.EnrollmentId, Reason = d.Reason },
                "factor.locked" => new FactorLockedEvent { Id = id, Type = type, Timestamp = timestamp, UserId = userId, Data = data, Until = d.Until },
                "emergency-code.used" => new EmergencyCodeUsedEvent { Id = id, Type = type, Timestamp = timestamp, UserId = userId, Data = data, EmergencyCodesLeft = d.EmergencyCodesLeft },
                "two-factor.disabled" => new TwoFactorDisabledEvent { Id = id, Type = type, Timestamp = timestamp, UserId = userId, Data = data },
                "delivery.failed" => new DeliveryFailedEvent { Id = id, Type = type, Timestamp = timestamp, UserId = userId, Data = data, Purpose = d.Purpose, ErrorCode = d.ErrorCode },
                _ => new UnknownEvent { Id = id, Type = type, Timestamp = timestamp, UserId = userId, Data = data },
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new Serverless2FAWebhookException("The body is not a Serverless2FA event.", ex);
        }
    }

    private static StandardWebhook Create(string secret)
    {
        try
        {
            return new StandardWebhook(secret);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("The webhook secret is not a whsec_ followed by base64.", nameof(secret), ex);
        }
    }
}

/// <summary>The members of every event type's <c>data</c>; each type reads its own.</summary>
internal sealed record EventData(
    string? UserId = null,
    string? EnrollmentId = null,
    TwoFactorMethod? Method = null,
    TwoFactorPolicy? Policy = null,
    bool? Replaced = null,
    string? Reason = null,
    DateTimeOffset? Until = null,
    int? EmergencyCodesLeft = null,
    string? Purpose = null,
    int? ErrorCode = null);

/// <summary>A webhook request that is not a verified Serverless2FA event; answer it 400 and do nothing.</summary>
public sealed class Serverless2FAWebhookException : Exception
{
    /// <summary>Creates the exception.</summary>
    public Serverless2FAWebhookException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
