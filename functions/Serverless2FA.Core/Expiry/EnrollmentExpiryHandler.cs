using Azure;
using Azure.Data.Tables;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Expiry;

/// <summary>
/// Expires a pending enrollment whose time is up and destroys the secrets it gathered (seed, codes,
/// session, phone), so a half-finished setup leaves nothing usable behind and the person can start again.
/// It writes with the enrollment's ETag: a verify or completion racing it either lands first (and this
/// decides again on what it wrote) or fails cleanly.
/// </summary>
public sealed class EnrollmentExpiryHandler(Tables tables) : IExpiryHandler
{
    private const int MaxConflicts = 5;

    public string Kind => ExpiryKinds.Enrollment;

    public async Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var users = await tables.GetAsync(Tables.Users, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var found = await users.GetEntityIfExistsAsync<EnrollmentEntity>(entry.TargetPartitionKey, entry.TargetRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!found.HasValue)
            {
                return ExpiryOutcome.Gone;
            }

            var enrollment = found.Value!;
            var outcome = Decide(enrollment, now);
            if (outcome is null)
            {
                return enrollment.ExpiresAt > now ? ExpiryOutcome.NotDue : ExpiryOutcome.Gone;
            }

            try
            {
                await users.UpdateEntityAsync(enrollment, enrollment.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return outcome.Value;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Changed meanwhile (a verify, a completion, a new enrollment, another sweep): decide again.
            }
        }

        throw new InvalidOperationException("The enrollment kept changing while it was being expired.");
    }

    /// <summary>Changes <paramref name="e"/> as expiry requires; null when there is nothing to write.</summary>
    internal static ExpiryOutcome? Decide(EnrollmentEntity e, DateTimeOffset now)
    {
        if (e.ExpiresAt > now || e.Status is EnrollmentStatus.Completed or EnrollmentStatus.Expired)
        {
            return null;
        }

        if (EnrollmentStatus.IsFinal(e.Status))
        {
            // Failed or cancelled: already over, but its secrets must not outlive it either.
            return HasSecrets(e) ? Scrub(e, ExpiryOutcome.Gone) : null;
        }

        e.Status = EnrollmentStatus.Expired;
        return Scrub(e, ExpiryOutcome.Expired);
    }

    private static bool HasSecrets(EnrollmentEntity e)
        => e.SeedCipher is not null || e.SmsCodeHash is not null || e.SmsCodeSalt is not null
            || e.EmergencyCodeHashes is not null || e.SessionHash is not null || e.PhoneCipher is not null;

    private static ExpiryOutcome Scrub(EnrollmentEntity e, ExpiryOutcome outcome)
    {
        e.SeedCipher = null;
        e.SmsCodeHash = null;
        e.SmsCodeSalt = null;
        e.EmergencyCodeHashes = null;
        e.SessionHash = null;
        e.PhoneCipher = null;
        return outcome;
    }
}
