using System.Security.Cryptography;

namespace Serverless2FA.Core.Events;

/// <summary>
/// Makes each event of API.md with exactly its data fields, so no phone number, code or token can find its way into
/// one: every field is typed here, and nothing else is accepted.
/// </summary>
public static class WebhookEvents
{
    public static EventMessage EnrollmentCompleted(DateTimeOffset at, string userId, string enrollmentId, string method, string policy, bool replaced)
        => New(EventTypes.EnrollmentCompleted, at, new EnrollmentCompletedData(userId, enrollmentId, method, policy, replaced));

    public static EventMessage EnrollmentExpired(DateTimeOffset at, string userId, string enrollmentId)
        => New(EventTypes.EnrollmentExpired, at, new EnrollmentData(userId, enrollmentId));

    /// <param name="reason"><c>undeliverable</c>, <c>opted-out</c> or <c>cancelled</c>.</param>
    public static EventMessage EnrollmentFailed(DateTimeOffset at, string userId, string enrollmentId, string reason)
        => New(EventTypes.EnrollmentFailed, at, new EnrollmentFailedData(userId, enrollmentId, reason));

    /// <param name="until">When the lock ends; null when hard-locked (until the relying app lifts it).</param>
    public static EventMessage FactorLocked(DateTimeOffset at, string userId, DateTimeOffset? until)
        => New(EventTypes.FactorLocked, at, new FactorLockedData(userId, until?.UtcDateTime));

    public static EventMessage EmergencyCodeUsed(DateTimeOffset at, string userId, int emergencyCodesLeft)
        => New(EventTypes.EmergencyCodeUsed, at, new EmergencyCodeUsedData(userId, emergencyCodesLeft));

    public static EventMessage TwoFactorDisabled(DateTimeOffset at, string userId)
        => New(EventTypes.TwoFactorDisabled, at, new UserData(userId));

    /// <param name="purpose">The text's purpose (<c>login</c>, <c>enrollment</c>, <c>notice</c>).</param>
    /// <param name="errorCode">Twilio's error code, null when it gave none.</param>
    public static EventMessage DeliveryFailed(DateTimeOffset at, string userId, string purpose, int? errorCode)
        => New(EventTypes.DeliveryFailed, at, new DeliveryFailedData(userId, purpose, errorCode));

    /// <summary>A new <c>webhook-id</c>: "evt_" and 128 random bits, as the Standard Webhooks examples name theirs.</summary>
    public static string NewId() => "evt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static EventMessage New<TData>(string type, DateTimeOffset at, TData data)
        => new(NewId(), type, at.ToUniversalTime(), EventMessage.DataOf(data));

    private sealed record UserData(string UserId);

    private sealed record EnrollmentData(string UserId, string EnrollmentId);

    private sealed record EnrollmentCompletedData(string UserId, string EnrollmentId, string Method, string Policy, bool Replaced);

    private sealed record EnrollmentFailedData(string UserId, string EnrollmentId, string Reason);

    private sealed record FactorLockedData(string UserId, DateTime? Until);

    private sealed record EmergencyCodeUsedData(string UserId, int EmergencyCodesLeft);

    private sealed record DeliveryFailedData(string UserId, string Purpose, int? ErrorCode);
}
