using Serverless2FA.Core.Events;
using Serverless2FA.Core.Sms;

namespace Serverless2FA.Core.Enrollments;

/// <summary>A setup link or code that did not arrive: the pending enrollment says so, with Twilio's error code.</summary>
public sealed class EnrollmentDeliveryHandler(SetupSessions sessions) : IDeliveryReportHandler
{
    public string Kind => MessageTarget.EnrollmentKind;

    /// <remarks>A newer enrollment took its place, or it finished: an old text's fate then no longer matters.</remarks>
    public Task MarkFailedAsync(MessageTarget target, DeliveryReport report, CancellationToken cancellationToken)
        => sessions.MoveAsync(
            target.PartitionKey,
            target.Id,
            e => e.RecordDelivery(report.Status, report.ErrorCode, report.MessageSid),
            cancellationToken,
            // Twilio may report one text's failure more than once: the relying app hears of it once.
            (e, now) => e.LastMessageSid == report.MessageSid && e.DeliveryStatus == report.Status ? null : EventDrafts.DeliveryFailed(now, EventDrafts.PurposeEnrollment, report.ErrorCode));
}
