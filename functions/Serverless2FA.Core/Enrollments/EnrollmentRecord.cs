using Serverless2FA.Core.Factors;

namespace Serverless2FA.Core.Enrollments;

/// <summary>
/// Everything an <see cref="Enrollment"/> holds, flat, as storage reads and writes it; <paramref name="Version"/> is
/// the stored row's ETag (null before the first save). Only storage builds one: services move the enrollment itself.
/// </summary>
internal sealed record EnrollmentRecord(
    string UserKey,
    string Id,
    EnrollmentStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string? PhoneCipher,
    string? PhoneMasked,
    string? PhoneKey,
    string? Locale,
    string? RequestedPolicy,
    string? SessionHash,
    string? Conversation,
    string? Method,
    string? SeedCipher,
    long LastTotpStep,
    StoredTextedCode? SmsCode,
    DateTimeOffset? SmsCodeSentAt,
    int Attempts,
    IReadOnlyList<StoredEmergencyCode>? EmergencyCodes,
    string? DeliveryStatus,
    int? DeliveryErrorCode,
    string? LastMessageSid,
    string? Replaces,
    string? Version,
    string? UserIdCipher = null);
