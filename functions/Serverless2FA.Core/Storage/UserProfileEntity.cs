namespace Serverless2FA.Core.Storage;

/// <summary>A user's two-factor settings: table Users, partition = HMAC of the user id, row "profile".</summary>
internal sealed class UserProfileEntity : TableRow
{
    public const string Row = "profile";

    public UserProfileEntity()
    {
        RowKey = Row;
    }

    public bool Enrolled { get; set; }

    /// <summary>The relying app's user id, encrypted as the enrollment held it: events about the factor name the user by it.</summary>
    public string? UserIdCipher { get; set; }
    public string? Method { get; set; }
    public string? Policy { get; set; }
    public string? PhoneCipher { get; set; }
    public string? PhoneMasked { get; set; }
    /// <summary>HMAC of the E.164 number: for send limits and opt-outs without decrypting.</summary>
    public string? PhoneKey { get; set; }
    public string? TotpSeedCipher { get; set; }
    /// <summary>The last TOTP time step accepted for this user; older or equal steps are replays.</summary>
    public long LastTotpStep { get; set; }
    public DateTimeOffset? EnrolledAt { get; set; }
    public string? EnrollmentId { get; set; }
    public string? Locale { get; set; }

    /// <summary>Consecutive wrong codes for the enrolled factor, across verifications.</summary>
    public int FailedAttempts { get; set; }
    public int Lockouts { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    /// <summary>Locked until the relying app resets the factor (too many failures).</summary>
    public bool HardLocked { get; set; }

    /// <summary>Every wrong code ever counted for this factor (never reset): a verification's own attempts are what it adds while it is open.</summary>
    public int TotalFailures { get; set; }

    /// <summary>
    /// Approvals so far (never reset while the factor lasts). A verification that started at the same count cannot
    /// have approved, so its check need not read for an <see cref="ApprovalEntity"/>.
    /// </summary>
    public int Approvals { get; set; }

    /// <summary>When a log-in code was last texted: the resend cooldown.</summary>
    public DateTimeOffset? LastCodeSentAt { get; set; }

    /// <summary>The verification whose texted code is live (pending until approved, or until <see cref="LastCodeSentAt"/> + the code's lifetime); a newer text replaces it.</summary>
    public string? SmsVerificationId { get; set; }

    /// <summary>Twilio's verdict on the last log-in code, when it was not delivered, and the verification it belonged to.</summary>
    public string? LastCodeDeliveryStatus { get; set; }
    public int? LastCodeDeliveryErrorCode { get; set; }
    public string? LastCodeVerificationId { get; set; }
}
