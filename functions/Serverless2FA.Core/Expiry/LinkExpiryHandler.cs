using Azure;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Expiry;

/// <summary>
/// Deletes a texted setup link once its time is up. Opening already refuses it past <see cref="LinkEntity.ExpiresAt"/>;
/// this keeps the Links table from growing. A used link is deleted too (it can never work again) but
/// counts as gone, not expired.
/// </summary>
public sealed class LinkExpiryHandler(Tables tables) : IExpiryHandler
{
    private const int MaxConflicts = 5;

    public string Kind => ExpiryKinds.Link;

    public async Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var links = await tables.GetAsync(Tables.Links, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var found = await links.GetEntityIfExistsAsync<LinkEntity>(entry.TargetPartitionKey, entry.TargetRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!found.HasValue)
            {
                return ExpiryOutcome.Gone;
            }

            var link = found.Value!;
            if (link.ExpiresAt > now)
            {
                return ExpiryOutcome.NotDue;
            }

            try
            {
                // With its ETag: a link opened at the last moment is decided by whichever write lands first.
                await links.DeleteEntityAsync(link.PartitionKey, link.RowKey, link.ETag, cancellationToken).ConfigureAwait(false);
                return link.UsedAt is null ? ExpiryOutcome.Expired : ExpiryOutcome.Gone;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Opened meanwhile: decide again on what was written.
            }
        }

        throw new InvalidOperationException("The link kept changing while it was being expired.");
    }
}
