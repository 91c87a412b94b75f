namespace Serverless2FA.Core.Storage;

/// <summary>
/// The user's pending enrollment: table Users, same partition as the profile, row "enrollment", so
/// completing it and writing the profile and emergency codes is one transaction. A new enrollment
/// replaces the previous one, whose link and session then stop working.
/// </summary>
public sealed class EnrollmentEntity : TableRow
{
    public const string Row = "enrollment";

    public EnrollmentEntity()
    {
        RowKey = Row;
    }

    public string EnrollmentId { get; set; } = string.Empty;
    public string Status { get; set; } = EnrollmentStatus.LinkSent;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    public string? PhoneCipher { get; set; }
    public string? PhoneMasked { get; set; }
    public string? PhoneKey { get; set; }
    public string? Locale { get; set; }
    public string? RequestedPolicy { get; set; }

    public string? SessionHash { get; set; }

    /// <summary>The SMS bot's step (a <c>ConversationState</c> name) when the enrollment is driven by text.</summary>
    public string? Conversation { get; set; }

    public string? Method { get; set; }
    public string? SeedCipher { get; set; }
    public long LastTotpStep { get; set; }
    public string? SmsCodeHash { get; set; }
    public string? SmsCodeSalt { get; set; }
    public DateTimeOffset? SmsCodeExpiresAt { get; set; }
    public DateTimeOffset? SmsCodeSentAt { get; set; }
    public int Attempts { get; set; }

    /// <summary>JSON array of "salt:hash" for the emergency codes shown at verification.</summary>
    public string? EmergencyCodeHashes { get; set; }

    /// <summary>Twilio's verdict on the last text for this enrollment, when it failed.</summary>
    public string? DeliveryStatus { get; set; }
    public int? DeliveryErrorCode { get; set; }
    public string? LastMessageSid { get; set; }
}

public static class EnrollmentStatus
{
    public const string LinkSent = "link-sent";
    public const string AwaitingText = "awaiting-text";
    public const string Opened = "opened";
    public const string Verified = "verified";
    public const string Completed = "completed";
    public const string Expired = "expired";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string status) => status is Completed or Expired or Failed or Cancelled;
}
