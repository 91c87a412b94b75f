using Serverless2FA.Core.Events;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Verification;

/// <summary>
/// A log-in code Twilio could not deliver: noted on the user's profile, so the status API can tell the relying app
/// why the person never got it, and reported as <c>delivery.failed</c> in the same transaction. The note is a merge of
/// just these columns, so it never undoes a check that raced it.
/// </summary>
public sealed class VerificationDeliveryHandler(Tables tables, Optimistic optimistic) : IDeliveryReportHandler
{
    public string Kind => MessageTarget.VerificationKind;

    /// <remarks>When two-factor was turned off meanwhile there is nothing left to mark, and nothing is.</remarks>
    public Task MarkFailedAsync(MessageTarget target, DeliveryReport report, CancellationToken cancellationToken)
        => optimistic.ChangeAsync(
            ct => tables.FindAsync<UserProfileEntity>(Tables.Users, target.PartitionKey, UserProfileEntity.Row, ct),
            (profile, now) => Decide(profile, target, report, now),
            cancellationToken);

    private static Decision<bool> Decide(UserProfileEntity? profile, MessageTarget target, DeliveryReport report, DateTimeOffset now)
    {
        if (profile is null)
        {
            return new Decision<bool>(false);
        }

        var changes = new Changes(Tables.Users).Patch(
            target.PartitionKey,
            UserProfileEntity.Row,
            new Dictionary<string, object?>
            {
                [nameof(UserProfileEntity.LastCodeDeliveryStatus)] = report.Status,
                [nameof(UserProfileEntity.LastCodeDeliveryErrorCode)] = report.ErrorCode,
                [nameof(UserProfileEntity.LastCodeVerificationId)] = target.Id,
            });
        // Twilio may report one text's failure more than once: the relying app hears of it once.
        var again = profile.LastCodeVerificationId == target.Id && profile.LastCodeDeliveryStatus == report.Status;
        return new Decision<bool>(true, again ? changes : changes.Emit(profile.PartitionKey, profile.UserIdCipher, EventDrafts.DeliveryFailed(now, EventDrafts.PurposeLogin, report.ErrorCode)));
    }
}
