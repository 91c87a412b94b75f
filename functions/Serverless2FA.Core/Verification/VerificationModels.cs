namespace Serverless2FA.Core.Verification;

/// <param name="Required">False when the user's policy is once-per-computer and the device token is a live remembered computer.</param>
public sealed record VerificationStarted(string VerificationId, bool Required, string Method, DateTimeOffset ExpiresAt);

/// <summary>
/// The answer to a check that the relying app reads as 200: approved (naming the user, the verification and the
/// method, so the app can tell what it approved), or denied with tries left.
/// </summary>
public sealed record CheckOutcome(
    string Status,
    int? AttemptsLeft = null,
    string? DeviceToken = null,
    bool? UsedEmergencyCode = null,
    int? EmergencyCodesLeft = null)
{
    public string? UserId { get; init; }
    public string? VerificationId { get; init; }
    public string? Method { get; init; }
}

/// <summary>One entry of a user's audit trail, as the relying app reads it.</summary>
public sealed record AuditEvent(DateTimeOffset At, string Event, string? Method, string? Detail);
