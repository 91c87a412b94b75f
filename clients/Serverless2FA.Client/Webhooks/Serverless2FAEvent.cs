using System.Text.Json;

namespace Serverless2FA.Client.Webhooks;

/// <summary>
/// An event the service posted to the relying app (API.md, "Events to the relying app"). <see cref="Id"/> is the
/// <c>webhook-id</c>, the same on every retry of one event: de-duplicate on it, since delivery is at least once.
/// </summary>
public abstract record Serverless2FAEvent
{
    private protected Serverless2FAEvent()
    {
    }

    /// <summary>The <c>webhook-id</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The event type, e.g. <c>enrollment.completed</c>.</summary>
    public required string Type { get; init; }

    /// <summary>When the change happened.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The user the event is about.</summary>
    public required string UserId { get; init; }

    /// <summary>The event's <c>data</c> as sent, for members this version of the client does not name.</summary>
    public required JsonElement Data { get; init; }
}

/// <summary><c>enrollment.completed</c>: two-factor is on (or a factor was replaced).</summary>
public sealed record EnrollmentCompletedEvent : Serverless2FAEvent
{
    /// <summary>The enrollment that completed.</summary>
    public string? EnrollmentId { get; init; }

    /// <summary>The chosen method.</summary>
    public TwoFactorMethod? Method { get; init; }

    /// <summary>The chosen policy.</summary>
    public TwoFactorPolicy? Policy { get; init; }

    /// <summary>True when it replaced an earlier factor.</summary>
    public bool Replaced { get; init; }
}

/// <summary><c>enrollment.expired</c>: the person did not finish in time.</summary>
public sealed record EnrollmentExpiredEvent : Serverless2FAEvent
{
    /// <summary>The enrollment that expired.</summary>
    public string? EnrollmentId { get; init; }
}

/// <summary><c>enrollment.failed</c>: <c>undeliverable</c>, <c>opted-out</c> or <c>cancelled</c>.</summary>
public sealed record EnrollmentFailedEvent : Serverless2FAEvent
{
    /// <summary>The enrollment that failed.</summary>
    public string? EnrollmentId { get; init; }

    /// <summary>Why.</summary>
    public string? Reason { get; init; }
}

/// <summary><c>factor.locked</c>: too many wrong codes; <see cref="Until"/> is null when locked until reset.</summary>
public sealed record FactorLockedEvent : Serverless2FAEvent
{
    /// <summary>When the lock ends, or null when it lasts until reset.</summary>
    public DateTimeOffset? Until { get; init; }
}

/// <summary><c>emergency-code.used</c>.</summary>
public sealed record EmergencyCodeUsedEvent : Serverless2FAEvent
{
    /// <summary>Emergency codes left.</summary>
    public int? EmergencyCodesLeft { get; init; }
}

/// <summary><c>two-factor.disabled</c>.</summary>
public sealed record TwoFactorDisabledEvent : Serverless2FAEvent;

/// <summary><c>delivery.failed</c>: a text could not be delivered.</summary>
public sealed record DeliveryFailedEvent : Serverless2FAEvent
{
    /// <summary>What the text was for (<c>login</c>, <c>enrollment</c>, <c>notice</c>).</summary>
    public string? Purpose { get; init; }

    /// <summary>Twilio's error code.</summary>
    public int? ErrorCode { get; init; }
}

/// <summary>An event type this version of the client does not know; read <see cref="Serverless2FAEvent.Data"/>.</summary>
public sealed record UnknownEvent : Serverless2FAEvent;
