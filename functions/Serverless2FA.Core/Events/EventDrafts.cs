using System.Security.Cryptography;

namespace Serverless2FA.Core.Events;

/// <summary>
/// Each event of API.md as a change decides it (<see cref="EventDraft"/>): its fields typed one by one, <c>userId</c>
/// added when it is queued. A decision emits one with <c>Changes.Emit</c>, in the transaction of the change it reports.
/// </summary>
public static class EventDrafts
{
    /// <summary>Why an enrollment failed (<c>enrollment.failed</c>'s <c>reason</c>).</summary>
    public const string Undeliverable = "undeliverable";
    public const string OptedOut = "opted-out";
    public const string Cancelled = "cancelled";

    /// <summary>What a text that failed was for (<c>delivery.failed</c>'s <c>purpose</c>), as API.md's sending limits name them.</summary>
    public const string PurposeLogin = "login";
    public const string PurposeEnrollment = "enrollment";
    public const string PurposeNotice = "notice";

    public static EventDraft EnrollmentCompleted(DateTimeOffset at, string enrollmentId, string method, string policy, bool replaced)
        => New(EventTypes.EnrollmentCompleted, at, new EnrollmentCompletedData(enrollmentId, method, policy, replaced));

    public static EventDraft EnrollmentExpired(DateTimeOffset at, string enrollmentId)
        => New(EventTypes.EnrollmentExpired, at, new EnrollmentData(enrollmentId));

    /// <param name="reason"><see cref="Undeliverable"/>, <see cref="OptedOut"/> or <see cref="Cancelled"/>.</param>
    public static EventDraft EnrollmentFailed(DateTimeOffset at, string enrollmentId, string reason)
        => New(EventTypes.EnrollmentFailed, at, new EnrollmentFailedData(enrollmentId, reason));

    /// <param name="until">When the lock ends; null when hard-locked (until the relying app lifts it).</param>
    public static EventDraft FactorLocked(DateTimeOffset at, DateTimeOffset? until)
        => New(EventTypes.FactorLocked, at, new FactorLockedData(until?.UtcDateTime));

    public static EventDraft EmergencyCodeUsed(DateTimeOffset at, int emergencyCodesLeft)
        => New(EventTypes.EmergencyCodeUsed, at, new EmergencyCodeUsedData(emergencyCodesLeft));

    public static EventDraft TwoFactorDisabled(DateTimeOffset at)
        => New(EventTypes.TwoFactorDisabled, at, new NoData());

    /// <param name="purpose">The text's purpose (<c>login</c>, <c>enrollment</c>, <c>notice</c>).</param>
    /// <param name="errorCode">Twilio's error code, null when it gave none.</param>
    public static EventDraft DeliveryFailed(DateTimeOffset at, string purpose, int? errorCode)
        => New(EventTypes.DeliveryFailed, at, new DeliveryFailedData(purpose, errorCode));

    /// <summary>A new <c>webhook-id</c>: "evt_" and 128 random bits, as the Standard Webhooks examples name theirs.</summary>
    public static string NewId() => "evt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static EventDraft New<TData>(string type, DateTimeOffset at, TData data)
        => new(NewId(), type, at.ToUniversalTime(), EventMessage.DataOf(data));

    private sealed record NoData;

    private sealed record EnrollmentData(string EnrollmentId);

    private sealed record EnrollmentCompletedData(string EnrollmentId, string Method, string Policy, bool Replaced);

    private sealed record EnrollmentFailedData(string EnrollmentId, string Reason);

    private sealed record FactorLockedData(DateTime? Until);

    private sealed record EmergencyCodeUsedData(int EmergencyCodesLeft);

    private sealed record DeliveryFailedData(string Purpose, int? ErrorCode);
}
