namespace Serverless2FA.Core.Sms;

/// <summary>
/// What a sent text is for, recorded against its MessageSid so Twilio's status callback can mark it:
/// the row <paramref name="PartitionKey"/>/<paramref name="RowKey"/>, and <paramref name="Id"/> to tell it from a
/// newer row in the same place (an enrollment replaced by the next "Text me").
/// </summary>
/// <param name="Kind">Dispatch key of an <see cref="IDeliveryReportHandler"/> ("enrollment", "verification").</param>
public sealed record MessageTarget(string Kind, string PartitionKey, string RowKey, string Id)
{
    public const string EnrollmentKind = "enrollment";

    /// <summary>A log-in code: the report lands on the user's profile, where the status API shows it.</summary>
    public const string VerificationKind = "verification";

    public static MessageTarget Enrollment(string userKey, string enrollmentId)
        => new(EnrollmentKind, userKey, Storage.EnrollmentEntity.Row, enrollmentId);

    public static MessageTarget Verification(string userKey, string verificationId)
        => new(VerificationKind, userKey, Storage.UserProfileEntity.Row, verificationId);
}
