namespace Serverless2FA.Client.Http;

// The wire shapes of the service's answers; the public records and outcomes are made from them.
internal sealed record EnrollmentStartedBody(string EnrollmentId, string Status, DateTimeOffset ExpiresAt, string? JoinCode, string? SmsNumber);

internal sealed record VerificationStartedBody(string VerificationId, bool Required, TwoFactorMethod Method, DateTimeOffset ExpiresAt);

internal sealed record CheckBody(
    string Status,
    int? AttemptsLeft,
    string? UserId,
    string? VerificationId,
    TwoFactorMethod? Method,
    string? DeviceToken,
    bool? UsedEmergencyCode,
    int? EmergencyCodesLeft);

internal sealed record AuditBody(IReadOnlyList<AuditEntry> Events);

internal sealed record EmergencyCodesBody(IReadOnlyList<string> EmergencyCodes);

internal sealed record StartVerificationBody(string UserId, string? DeviceToken);

internal sealed record CheckVerificationBody(string UserId, string Code, bool? RememberDevice);
