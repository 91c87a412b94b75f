using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Enrollments;

/// <summary>A setup link or code that did not arrive: the pending enrollment says so, with Twilio's error code.</summary>
public sealed class EnrollmentDeliveryHandler(Tables tables, Optimistic optimistic) : IDeliveryReportHandler
{
    public string Kind => MessageTarget.EnrollmentKind;

    public Task MarkFailedAsync(MessageTarget target, DeliveryReport report, CancellationToken cancellationToken)
        => optimistic.ChangeAsync(
            ct => tables.FindEnrollmentAsync(target.PartitionKey, ct),
            // A newer enrollment took its place, or it finished: an old text's fate no longer matters.
            (e, _) => e is null || e.Id != target.Id || e.RecordDelivery(report.Status, report.ErrorCode, report.MessageSid) is not null
                ? new Decision<bool>(false)
                : new Decision<bool>(true, new Changes(Tables.Users).Save(e)),
            cancellationToken);
}
