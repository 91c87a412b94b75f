using Serverless2FA.Core.Verification;

namespace Serverless2FA.Core.Storage;

/// <summary>
/// A log-in verification: table Verifications, partition = its id, row "verification". Written at start and
/// by the sweep only; what a check decides is committed on the user's profile (one ETag write per check), so
/// the row holds what the check needs to read: whose it is, the method, the texted code's hash and the expiry.
/// </summary>
internal sealed class VerificationEntity : TableRow
{
    public const string Row = "verification";

    public VerificationEntity()
    {
        RowKey = Row;
    }

    public string UserKey { get; set; } = string.Empty;
    /// <summary>The enrollment it was started under: disabling or re-enrolling voids it.</summary>
    public string? EnrollmentId { get; set; }
    public string Method { get; set; } = string.Empty;
    public string Status { get; set; } = VerificationStatus.Pending;
    public bool Required { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The profile's <see cref="UserProfileEntity.TotalFailures"/> when it started.</summary>
    public int FailuresAtStart { get; set; }

    /// <summary>The profile's <see cref="UserProfileEntity.Approvals"/> when it started.</summary>
    public int ApprovalsAtStart { get; set; }

    public string? SmsCodeHash { get; set; }
    public string? SmsCodeSalt { get; set; }
}
