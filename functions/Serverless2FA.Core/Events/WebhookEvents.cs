namespace Serverless2FA.Core.Events;

/// <summary>
/// Makes each event of API.md with exactly its data fields, so no phone number, code or token can find its way into
/// one: every field is typed in <see cref="EventDrafts"/>, and nothing else is accepted.
/// </summary>
public static class WebhookEvents
{
    public static EventMessage EnrollmentCompleted(DateTimeOffset at, string userId, string enrollmentId, string method, string policy, bool replaced)
        => EventDrafts.EnrollmentCompleted(at, enrollmentId, method, policy, replaced).For(userId);

    public static EventMessage EnrollmentExpired(DateTimeOffset at, string userId, string enrollmentId)
        => EventDrafts.EnrollmentExpired(at, enrollmentId).For(userId);

    /// <param name="reason"><c>undeliverable</c>, <c>opted-out</c> or <c>cancelled</c>.</param>
    public static EventMessage EnrollmentFailed(DateTimeOffset at, string userId, string enrollmentId, string reason)
        => EventDrafts.EnrollmentFailed(at, enrollmentId, reason).For(userId);

    /// <param name="until">When the lock ends; null when hard-locked (until the relying app lifts it).</param>
    public static EventMessage FactorLocked(DateTimeOffset at, string userId, DateTimeOffset? until)
        => EventDrafts.FactorLocked(at, until).For(userId);

    public static EventMessage EmergencyCodeUsed(DateTimeOffset at, string userId, int emergencyCodesLeft)
        => EventDrafts.EmergencyCodeUsed(at, emergencyCodesLeft).For(userId);

    public static EventMessage TwoFactorDisabled(DateTimeOffset at, string userId)
        => EventDrafts.TwoFactorDisabled(at).For(userId);

    /// <param name="purpose">The text's purpose (<c>login</c>, <c>enrollment</c>, <c>notice</c>).</param>
    /// <param name="errorCode">Twilio's error code, null when it gave none.</param>
    public static EventMessage DeliveryFailed(DateTimeOffset at, string userId, string purpose, int? errorCode)
        => EventDrafts.DeliveryFailed(at, purpose, errorCode).For(userId);

    /// <summary>A new <c>webhook-id</c>: "evt_" and 128 random bits, as the Standard Webhooks examples name theirs.</summary>
    public static string NewId() => EventDrafts.NewId();
}
