using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Expiry;

/// <summary>
/// Deletes a texted setup link once its time is up. Opening already refuses it past <see cref="LinkEntity.ExpiresAt"/>;
/// this keeps the Links table from growing. A used link is deleted too (it can never work again) but
/// counts as gone, not expired. Deleted with its ETag: a link opened at the last moment is decided by whichever
/// write lands first, and this decides again on what it finds.
/// </summary>
public sealed class LinkExpiryHandler(Tables tables, Optimistic optimistic) : IExpiryHandler
{
    public string Kind => ExpiryKinds.Link;

    public async Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = await optimistic.ChangeAsync(
            ct => tables.FindAsync<LinkEntity>(Tables.Links, entry.TargetPartitionKey, entry.TargetRowKey, ct),
            (link, _) => Decide(link, now),
            cancellationToken).ConfigureAwait(false);
        return expired.Succeeded ? expired.Value : throw new InvalidOperationException("The link kept changing while it was being expired.");
    }

    private static Decision<ExpiryOutcome> Decide(LinkEntity? link, DateTimeOffset now)
    {
        if (link is null)
        {
            return new Decision<ExpiryOutcome>(ExpiryOutcome.Gone);
        }

        return link.ExpiresAt > now
            ? new Decision<ExpiryOutcome>(ExpiryOutcome.NotDue)
            : new Decision<ExpiryOutcome>(link.UsedAt is null ? ExpiryOutcome.Expired : ExpiryOutcome.Gone, new Changes(Tables.Links).Delete(link));
    }
}
