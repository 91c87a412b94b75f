using Azure;
using Azure.Data.Tables;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Verification;

/// <summary>
/// A log-in code Twilio could not deliver: noted on the user's profile, so the status API can tell the relying app
/// why the person never got it. A merge of just these columns, so it never undoes a check that raced it.
/// </summary>
public sealed class VerificationDeliveryHandler(Tables tables) : IDeliveryReportHandler
{
    public string Kind => MessageTarget.VerificationKind;

    public async Task MarkFailedAsync(MessageTarget target, DeliveryReport report, CancellationToken cancellationToken)
    {
        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        var patch = new TableEntity(target.PartitionKey, UserProfileEntity.Row)
        {
            [nameof(UserProfileEntity.LastCodeDeliveryStatus)] = report.Status,
            [nameof(UserProfileEntity.LastCodeDeliveryErrorCode)] = report.ErrorCode,
            [nameof(UserProfileEntity.LastCodeVerificationId)] = target.Id,
        };
        try
        {
            await users.UpdateEntityAsync(patch, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Two-factor was turned off meanwhile: nothing left to mark.
        }
    }
}
