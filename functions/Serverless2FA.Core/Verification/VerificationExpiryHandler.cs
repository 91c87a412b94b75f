using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Verification;

/// <summary>
/// Expires a log-in verification the sweep reaches: marks it expired and drops its code hash, with its ETag. A check
/// refuses an expired verification by its time anyway; this clears the hash out of storage. The row itself stays a
/// day, so a late check still hears 410 (expired) rather than 404, and is then deleted through a retention entry.
/// </summary>
public sealed class VerificationExpiryHandler(Tables tables, Optimistic optimistic) : IExpiryHandler
{
    private static readonly TimeSpan ExpiredKeptFor = TimeSpan.FromDays(1);

    public string Kind => VerificationService.ExpiryKind;

    public async Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = await optimistic.ChangeAsync(
            ct => tables.FindAsync<VerificationEntity>(Tables.Verifications, entry.TargetPartitionKey, entry.TargetRowKey, ct),
            (verification, _) => Decide(verification, now),
            cancellationToken).ConfigureAwait(false);
        return expired.Succeeded ? expired.Value : ExpiryOutcome.Gone;
    }

    private static Decision<ExpiryOutcome> Decide(VerificationEntity? verification, DateTimeOffset now)
    {
        if (verification is null || verification.Status != VerificationStatus.Pending)
        {
            return new Decision<ExpiryOutcome>(ExpiryOutcome.Gone);
        }

        if (verification.ExpiresAt > now)
        {
            return new Decision<ExpiryOutcome>(ExpiryOutcome.NotDue);
        }

        verification.Status = VerificationStatus.Expired;
        verification.SmsCodeHash = null;
        verification.SmsCodeSalt = null;
        var keptUntil = new Due(ExpiryKinds.Retention, now + ExpiredKeptFor);
        return new Decision<ExpiryOutcome>(ExpiryOutcome.Expired, new Changes(Tables.Verifications).Replace(verification, keptUntil));
    }
}
