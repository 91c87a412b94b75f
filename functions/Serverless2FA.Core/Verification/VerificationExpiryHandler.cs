using Azure;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Verification;

/// <summary>
/// Expires a log-in verification the sweep reaches: marks it expired and drops its code hash, with its ETag. A check
/// refuses an expired verification by its time anyway; this clears the hash out of storage. The row itself stays a
/// day, so a late check still hears 410 (expired) rather than 404, and is then deleted through a retention entry.
/// </summary>
public sealed class VerificationExpiryHandler(Tables tables, ExpiryIndex expiry) : IExpiryHandler
{
    private const int MaxConflicts = 5;

    private static readonly TimeSpan ExpiredKeptFor = TimeSpan.FromDays(1);

    public string Kind => VerificationService.ExpiryKind;

    public async Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.Verifications, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var found = await table.GetEntityIfExistsAsync<VerificationEntity>(entry.TargetPartitionKey, entry.TargetRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!found.HasValue || found.Value!.Status != VerificationStatus.Pending)
            {
                return ExpiryOutcome.Gone;
            }

            var verification = found.Value;
            if (verification.ExpiresAt > now)
            {
                return ExpiryOutcome.NotDue;
            }

            verification.Status = VerificationStatus.Expired;
            verification.SmsCodeHash = null;
            verification.SmsCodeSalt = null;
            try
            {
                await table.UpdateEntityAsync(verification, verification.ETag, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                await expiry.AddAsync(ExpiryKinds.Retention, Tables.Verifications, entry.TargetPartitionKey, entry.TargetRowKey, now + ExpiredKeptFor, cancellationToken).ConfigureAwait(false);
                return ExpiryOutcome.Expired;
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                // Changed meanwhile (another sweep): look again.
            }
        }

        return ExpiryOutcome.Gone;
    }
}
