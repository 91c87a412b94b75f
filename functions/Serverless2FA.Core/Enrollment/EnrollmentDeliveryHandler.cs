using Azure;
using Azure.Data.Tables;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Enrollment;

/// <summary>A setup link or code that did not arrive: the pending enrollment says so, with Twilio's error code.</summary>
public sealed class EnrollmentDeliveryHandler(Tables tables) : IDeliveryReportHandler
{
    public string Kind => MessageTarget.EnrollmentKind;

    public async Task MarkFailedAsync(MessageTarget target, DeliveryReport report, CancellationToken cancellationToken)
    {
        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var found = await users.GetEntityIfExistsAsync<EnrollmentEntity>(target.PartitionKey, target.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            // A newer enrollment took its place, or it finished: an old text's fate no longer matters.
            if (!found.HasValue || found.Value!.EnrollmentId != target.Id || EnrollmentStatus.IsFinal(found.Value.Status))
            {
                return;
            }

            var patch = new TableEntity(target.PartitionKey, target.RowKey)
            {
                [nameof(EnrollmentEntity.DeliveryStatus)] = report.Status,
                [nameof(EnrollmentEntity.DeliveryErrorCode)] = report.ErrorCode,
                [nameof(EnrollmentEntity.LastMessageSid)] = report.MessageSid,
            };
            try
            {
                await users.UpdateEntityAsync(patch, found.Value.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Changed meanwhile (a verify, the bot): read it again.
            }
        }
    }
}
