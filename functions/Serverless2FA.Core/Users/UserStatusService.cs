using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Verification;

namespace Serverless2FA.Core.Users;

public sealed class UserStatusService(Tables tables, UserKeys userKeys, TimeProvider time)
{
    public async Task<Result<UserStatus>> GetAsync(string? userId, CancellationToken cancellationToken)
    {
        if (UserIds.Validate(userId) is { } invalid)
        {
            return invalid;
        }

        var userKey = await userKeys.ForUserAsync(userId!, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        int codes = 0, devices = 0;
        // One bounded range of the user's partition: "dev-…" and "ec-…" sort next to each other.
        var range = RowRange.From(userKey, DeviceEntity.RowPrefix, EmergencyCodeEntity.RowPrefix[..^1] + ".");
        await foreach (var row in tables.QueryAsync<DeviceEntity>(Tables.Users, range, select: ["RowKey", nameof(DeviceEntity.ExpiresAt)], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey.StartsWith(EmergencyCodeEntity.RowPrefix, StringComparison.Ordinal))
            {
                codes++;
            }
            else if (row.RowKey.StartsWith(DeviceEntity.RowPrefix, StringComparison.Ordinal))
            {
                devices += DeviceTokens.IsLive(row, now) ? 1 : 0;
            }
        }

        var profile = await tables.FindAsync<UserProfileEntity>(Tables.Users, userKey, UserProfileEntity.Row, cancellationToken).ConfigureAwait(false);
        var pending = await tables.FindEnrollmentAsync(userKey, cancellationToken).ConfigureAwait(false);

        var pendingStatus = pending is null || pending.Status == EnrollmentStatus.Completed
            ? null
            : new PendingEnrollmentStatus(
                pending.Id,
                // Past its time it is expired, whether or not the sweep has been by.
                (pending.ExpiresAt <= now && !pending.Status.IsFinal() ? EnrollmentStatus.Expired : pending.Status).ToWire(),
                pending.ExpiresAt,
                pending.DeliveryStatus,
                pending.DeliveryErrorCode);

        if (profile is not { Enrolled: true })
        {
            return new UserStatus(false, PendingEnrollment: pendingStatus);
        }

        var delivery = profile is { LastCodeDeliveryStatus: { } status, LastCodeVerificationId: { } verificationId }
            ? new CodeDeliveryFailure(verificationId, status, profile.LastCodeDeliveryErrorCode)
            : null;
        return new UserStatus(true, profile.Method, profile.Policy, profile.PhoneMasked, profile.EnrolledAt, codes, devices, pendingStatus, delivery);
    }
}
