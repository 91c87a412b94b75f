using System.Text.Json;
using Azure;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Factors;

namespace Serverless2FA.Core.Storage;

/// <summary>
/// The user's pending <see cref="Enrollment"/>: table Users, same partition as the profile, row "enrollment", so
/// completing it and writing the profile and emergency codes is one transaction. A new enrollment
/// replaces the previous one, whose link and session then stop working.
/// </summary>
internal sealed class EnrollmentEntity : TableRow
{
    public const string Row = "enrollment";

    public EnrollmentEntity()
    {
        RowKey = Row;
    }

    public string EnrollmentId { get; set; } = string.Empty;

    /// <summary>The status as the API writes it (<see cref="EnrollmentStatuses.ToWire"/>).</summary>
    public string Status { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The relying app's user id, encrypted (<see cref="Crypto.UserKeys.EncryptIdAsync"/>): events name the user by it.</summary>
    public string? UserIdCipher { get; set; }

    public string? PhoneCipher { get; set; }
    public string? PhoneMasked { get; set; }
    public string? PhoneKey { get; set; }
    public string? Locale { get; set; }
    public string? RequestedPolicy { get; set; }

    /// <summary>The enrollment id of the factor a step-up admitted this one to replace; null for a first factor.</summary>
    public string? Replaces { get; set; }

    public string? SessionHash { get; set; }
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

    public string? DeliveryStatus { get; set; }
    public int? DeliveryErrorCode { get; set; }
    public string? LastMessageSid { get; set; }

    internal static EnrollmentEntity From(Enrollment enrollment)
    {
        var e = enrollment.ToRecord();
        return new EnrollmentEntity
        {
            PartitionKey = e.UserKey,
            ETag = e.Version is null ? default : new ETag(e.Version),
            EnrollmentId = e.Id,
            Status = e.Status.ToWire(),
            CreatedAt = e.CreatedAt,
            ExpiresAt = e.ExpiresAt,
            UserIdCipher = e.UserIdCipher,
            PhoneCipher = e.PhoneCipher,
            PhoneMasked = e.PhoneMasked,
            PhoneKey = e.PhoneKey,
            Locale = e.Locale,
            RequestedPolicy = e.RequestedPolicy,
            Replaces = e.Replaces,
            SessionHash = e.SessionHash,
            Conversation = e.Conversation,
            Method = e.Method,
            SeedCipher = e.SeedCipher,
            LastTotpStep = e.LastTotpStep,
            SmsCodeHash = e.SmsCode?.Hash,
            SmsCodeSalt = e.SmsCode?.Salt,
            SmsCodeExpiresAt = e.SmsCode?.ExpiresAt,
            SmsCodeSentAt = e.SmsCodeSentAt,
            Attempts = e.Attempts,
            EmergencyCodeHashes = e.EmergencyCodes is { } codes ? JsonSerializer.Serialize(codes.Select(c => c.Salt + ":" + c.Hash)) : null,
            DeliveryStatus = e.DeliveryStatus,
            DeliveryErrorCode = e.DeliveryErrorCode,
            LastMessageSid = e.LastMessageSid,
        };
    }

    internal Enrollment ToEnrollment() => Enrollment.FromRecord(new EnrollmentRecord(
        PartitionKey,
        EnrollmentId,
        EnrollmentStatuses.FromWire(Status),
        CreatedAt,
        ExpiresAt,
        PhoneCipher,
        PhoneMasked,
        PhoneKey,
        Locale,
        RequestedPolicy,
        SessionHash,
        Conversation,
        Method,
        SeedCipher,
        LastTotpStep,
        SmsCodeHash is not null && SmsCodeSalt is not null ? new StoredTextedCode(SmsCodeSalt, SmsCodeHash, SmsCodeExpiresAt ?? default) : null,
        SmsCodeSentAt,
        Attempts,
        EmergencyCodeHashes is null ? null : [.. (JsonSerializer.Deserialize<List<string>>(EmergencyCodeHashes) ?? []).Select(c => c.Split(':', 2)).Select(p => new StoredEmergencyCode(p[0], p[1]))],
        DeliveryStatus,
        DeliveryErrorCode,
        LastMessageSid,
        Replaces,
        ETag.ToString(),
        UserIdCipher));
}
