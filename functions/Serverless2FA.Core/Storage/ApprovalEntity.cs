namespace Serverless2FA.Core.Storage;

/// <summary>
/// A log-in verification that approved: table Users, the user's partition, row "appr-{verification id}". Inserted
/// once, in the transaction that approves, so a verification approves once however many approvals follow; it is
/// also the step-up that may replace the user's factor, used once (<see cref="StepUpUsedAt"/>, written with its ETag).
/// </summary>
internal sealed class ApprovalEntity : TableRow
{
    public const string RowPrefix = "appr-";

    /// <summary>The enrollment the verification was approved under: a replaced or disabled factor voids its step-up.</summary>
    public string? EnrollmentId { get; set; }

    public DateTimeOffset ApprovedAt { get; set; }

    /// <summary>When neither the verification nor its step-up can be used any more; the audit trim deletes it then.</summary>
    public DateTimeOffset KeepUntil { get; set; }

    /// <summary>When it was used as a step-up; null while unused.</summary>
    public DateTimeOffset? StepUpUsedAt { get; set; }

    public static string RowKeyOf(string verificationId) => RowPrefix + verificationId;
}
