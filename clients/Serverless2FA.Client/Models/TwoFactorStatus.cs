namespace Serverless2FA.Client;

/// <summary>A user's two-factor set-up as <c>GET api/users/{userId}/two-factor</c> shows it; never the full phone number.</summary>
public sealed record TwoFactorStatus
{
    /// <summary>Whether two-factor is on. A user the service does not know is not enrolled.</summary>
    public bool Enrolled { get; init; }

    /// <summary>The method, when enrolled.</summary>
    public TwoFactorMethod? Method { get; init; }

    /// <summary>The policy, when enrolled.</summary>
    public TwoFactorPolicy? Policy { get; init; }

    /// <summary>The phone, masked (<c>+1 ••• ••• 0123</c>).</summary>
    public string? PhoneMasked { get; init; }

    /// <summary>When the current factor was set up.</summary>
    public DateTimeOffset? EnrolledAt { get; init; }

    /// <summary>Unused emergency codes.</summary>
    public int? EmergencyCodesLeft { get; init; }

    /// <summary>Live remembered computers.</summary>
    public int? RememberedDevices { get; init; }

    /// <summary>An enrollment started and not finished (link texted, or waiting for JOIN).</summary>
    public PendingEnrollment? PendingEnrollment { get; init; }

    /// <summary>The last log-in code Twilio reported undelivered or failed.</summary>
    public CodeDeliveryFailure? LastCodeDelivery { get; init; }
}

/// <summary>An enrollment in progress.</summary>
public sealed record PendingEnrollment
{
    /// <summary>The enrollment's id, as <c>POST api/enrollments</c> answered.</summary>
    public string? EnrollmentId { get; init; }

    /// <summary>Where it is (<c>link-sent</c>, <c>awaiting-text</c>, <c>link-opened</c>, …).</summary>
    public string? Status { get; init; }

    /// <summary>When it expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Twilio's verdict when the texted link could not be delivered (<c>undelivered</c>, <c>failed</c>).</summary>
    public string? DeliveryStatus { get; init; }

    /// <summary>Twilio's error code for it.</summary>
    public int? DeliveryErrorCode { get; init; }
}

/// <summary>A log-in code Twilio could not deliver.</summary>
public sealed record CodeDeliveryFailure
{
    /// <summary>The verification the code was for.</summary>
    public string? VerificationId { get; init; }

    /// <summary><c>undelivered</c> or <c>failed</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Twilio's error code.</summary>
    public int? ErrorCode { get; init; }
}

/// <summary>One event of a user's audit trail; never a code, token or phone number.</summary>
public sealed record AuditEntry
{
    /// <summary>When it happened.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>What happened (<c>enrolled</c>, <c>verified</c>, <c>denied</c>, <c>locked</c>, …); kept a string so new kinds read.</summary>
    public string Event { get; init; } = "";

    /// <summary>The method involved, when one was.</summary>
    public string? Method { get; init; }

    /// <summary>More about it, e.g. <c>attempts left 3</c>.</summary>
    public string? Detail { get; init; }
}

/// <summary>The answer of <c>GET api/health</c>, healthy or not.</summary>
public sealed record HealthReport
{
    /// <summary><c>ok</c> or <c>unhealthy</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>Table Storage: <c>ok</c> or <c>failing</c>.</summary>
    public string? Storage { get; init; }

    /// <summary>The secret store's kind, or <c>failing</c>.</summary>
    public string? Secrets { get; init; }

    /// <summary><c>twilio</c> or <c>outbox</c>.</summary>
    public string? Sms { get; init; }

    /// <summary>Whether every part answered.</summary>
    public bool IsHealthy => Status == "ok";
}
