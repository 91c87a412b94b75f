using Azure.Data.Tables;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Enrollment;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;

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
        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        int codes = 0, devices = 0;
        // One bounded range of the user's partition: "dev-…" and "ec-…" sort next to each other.
        await foreach (var row in users.QueryAsync<TableEntity>(
            $"PartitionKey eq '{userKey}' and RowKey ge '{DeviceEntity.RowPrefix}' and RowKey lt 'ec.'",
            select: ["RowKey", nameof(DeviceEntity.ExpiresAt)],
            cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey.StartsWith(EmergencyCodeEntity.RowPrefix, StringComparison.Ordinal))
            {
                codes++;
            }
            else if (row.RowKey.StartsWith(DeviceEntity.RowPrefix, StringComparison.Ordinal))
            {
                devices += row.GetDateTimeOffset(nameof(DeviceEntity.ExpiresAt)) > now ? 1 : 0;
            }
        }

        var profileRow = await users.GetEntityIfExistsAsync<UserProfileEntity>(userKey, UserProfileEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        var profile = profileRow.HasValue ? profileRow.Value : null;
        var pendingRow = await users.GetEntityIfExistsAsync<EnrollmentEntity>(userKey, EnrollmentEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        var pending = pendingRow.HasValue ? pendingRow.Value : null;

        var pendingStatus = pending is null || pending.Status == EnrollmentStatus.Completed
            ? null
            : new PendingEnrollmentStatus(
                pending.EnrollmentId,
                pending.ExpiresAt <= now && !EnrollmentStatus.IsFinal(pending.Status) ? EnrollmentStatus.Expired : pending.Status,
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
