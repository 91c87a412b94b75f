namespace Serverless2FA.Core.Users;

/// <summary>What the relying app sees of a user's two-factor set-up; never the phone number in full.</summary>
public sealed record UserStatus(
    bool Enrolled,
    string? Method = null,
    string? Policy = null,
    string? PhoneMasked = null,
    DateTimeOffset? EnrolledAt = null,
    int? EmergencyCodesLeft = null,
    int? RememberedDevices = null,
    PendingEnrollmentStatus? PendingEnrollment = null,
    CodeDeliveryFailure? LastCodeDelivery = null);

/// <summary>The last log-in code Twilio reported undelivered or failed (cleared when the next code is texted).</summary>
public sealed record CodeDeliveryFailure(string VerificationId, string Status, int? ErrorCode);

/// <param name="DeliveryStatus">Twilio's verdict when the last text failed ("undelivered", "failed").</param>
public sealed record PendingEnrollmentStatus(string EnrollmentId, string Status, DateTimeOffset ExpiresAt, string? DeliveryStatus, int? DeliveryErrorCode);
