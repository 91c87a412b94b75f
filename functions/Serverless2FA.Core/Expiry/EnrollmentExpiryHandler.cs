using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Expiry;

/// <summary>
/// Expires a pending enrollment whose time is up and destroys the secrets it gathered (seed, codes,
/// session, phone), so a half-finished setup leaves nothing usable behind and the person can start again.
/// It saves with the enrollment's ETag: a verify or completion racing it either lands first (and this
/// decides again on what it wrote) or fails cleanly.
/// </summary>
public sealed class EnrollmentExpiryHandler(Tables tables, Optimistic optimistic) : IExpiryHandler
{
    public string Kind => ExpiryKinds.Enrollment;

    public async Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = await optimistic.ChangeAsync(
            ct => tables.FindEnrollmentAsync(entry.TargetPartitionKey, ct),
            (e, _) => Decide(e, now),
            cancellationToken).ConfigureAwait(false);
        return expired.Succeeded ? expired.Value : throw new InvalidOperationException("The enrollment kept changing while it was being expired.");
    }

    /// <summary>What expiry does to <paramref name="e"/> at <paramref name="now"/>; it writes only when something changed.</summary>
    internal static Decision<ExpiryOutcome> Decide(Enrollment? e, DateTimeOffset now)
    {
        if (e is null)
        {
            return new Decision<ExpiryOutcome>(ExpiryOutcome.Gone);
        }

        if (e.ExpiresAt > now)
        {
            // Its time was extended (the link was opened): a later index entry covers it.
            return new Decision<ExpiryOutcome>(ExpiryOutcome.NotDue);
        }

        // Failed or cancelled ones are over already, but their secrets must not outlive them either.
        var wasLive = !e.Status.IsFinal();
        var hadSecrets = e.HasSecrets;
        if (e.Expire(now) is not null || (!wasLive && !hadSecrets))
        {
            return new Decision<ExpiryOutcome>(ExpiryOutcome.Gone);
        }

        var changes = new Changes(Tables.Users).Save(e);
        return wasLive
            ? new Decision<ExpiryOutcome>(ExpiryOutcome.Expired, changes.Emit(e.UserKey, e.UserIdCipher, EventDrafts.EnrollmentExpired(now, e.Id)))
            : new Decision<ExpiryOutcome>(ExpiryOutcome.Gone, changes);
    }
}
