using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Verification;

/// <summary>
/// A log-in code Twilio could not deliver: noted on the user's profile, so the status API can tell the relying app
/// why the person never got it. A merge of just these columns, so it never undoes a check that raced it.
/// </summary>
public sealed class VerificationDeliveryHandler(Optimistic optimistic) : IDeliveryReportHandler
{
    public string Kind => MessageTarget.VerificationKind;

    /// <remarks>When two-factor was turned off meanwhile there is nothing left to mark, and nothing is.</remarks>
    public Task MarkFailedAsync(MessageTarget target, DeliveryReport report, CancellationToken cancellationToken)
        => optimistic.TryCommitAsync(
            new Changes(Tables.Users).Patch(
                target.PartitionKey,
                UserProfileEntity.Row,
                new Dictionary<string, object?>
                {
                    [nameof(UserProfileEntity.LastCodeDeliveryStatus)] = report.Status,
                    [nameof(UserProfileEntity.LastCodeDeliveryErrorCode)] = report.ErrorCode,
                    [nameof(UserProfileEntity.LastCodeVerificationId)] = target.Id,
                }),
            cancellationToken);
}
