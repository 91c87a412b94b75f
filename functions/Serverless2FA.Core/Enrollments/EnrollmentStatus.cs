namespace Serverless2FA.Core.Enrollments;

/// <summary>Where an enrollment stands. On the wire and in storage it is a fixed word (<see cref="EnrollmentStatuses.ToWire"/>).</summary>
public enum EnrollmentStatus
{
    /// <summary>A setup link was texted (or re-texted by the bot) and not yet opened.</summary>
    LinkSent,
    /// <summary>Started without a phone: waiting for the person to text JOIN and the code.</summary>
    AwaitingText,
    /// <summary>The link was opened (a setup session), or the phone joined by text.</summary>
    Opened,
    /// <summary>A code proved the chosen method works; the emergency codes were shown.</summary>
    Verified,
    Completed,
    Expired,
    /// <summary>The setup link could not be texted.</summary>
    Failed,
    Cancelled,
}

public static class EnrollmentStatuses
{
    public static bool IsFinal(this EnrollmentStatus status)
        => status is EnrollmentStatus.Completed or EnrollmentStatus.Expired or EnrollmentStatus.Failed or EnrollmentStatus.Cancelled;

    /// <summary>The status as the API and storage write it: "link-sent", "awaiting-text", "opened", ….</summary>
    public static string ToWire(this EnrollmentStatus status) => status switch
    {
        EnrollmentStatus.LinkSent => "link-sent",
        EnrollmentStatus.AwaitingText => "awaiting-text",
        EnrollmentStatus.Opened => "opened",
        EnrollmentStatus.Verified => "verified",
        EnrollmentStatus.Completed => "completed",
        EnrollmentStatus.Expired => "expired",
        EnrollmentStatus.Failed => "failed",
        EnrollmentStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static EnrollmentStatus FromWire(string wire)
    {
        foreach (var status in Enum.GetValues<EnrollmentStatus>())
        {
            if (status.ToWire() == wire)
            {
                return status;
            }
        }

        throw new FormatException($"'{wire}' is not an enrollment status.");
    }
}
