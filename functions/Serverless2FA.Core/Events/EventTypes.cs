namespace Serverless2FA.Core.Events;

/// <summary>The event types of API.md, "Events to the relying app".</summary>
public static class EventTypes
{
    /// <summary><c>userId, enrollmentId, method, policy, replaced</c>.</summary>
    public const string EnrollmentCompleted = "enrollment.completed";

    /// <summary><c>userId, enrollmentId</c>.</summary>
    public const string EnrollmentExpired = "enrollment.expired";

    /// <summary><c>userId, enrollmentId, reason</c> (<c>undeliverable</c>, <c>opted-out</c>, <c>cancelled</c>).</summary>
    public const string EnrollmentFailed = "enrollment.failed";

    /// <summary><c>userId, until</c> (null when hard-locked).</summary>
    public const string FactorLocked = "factor.locked";

    /// <summary><c>userId, emergencyCodesLeft</c>.</summary>
    public const string EmergencyCodeUsed = "emergency-code.used";

    /// <summary><c>userId</c>.</summary>
    public const string TwoFactorDisabled = "two-factor.disabled";

    /// <summary><c>userId, purpose, errorCode</c>.</summary>
    public const string DeliveryFailed = "delivery.failed";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        EnrollmentCompleted, EnrollmentExpired, EnrollmentFailed, FactorLocked, EmergencyCodeUsed, TwoFactorDisabled, DeliveryFailed,
    };
}
