using Azure;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.TextEnrollment;

/// <summary>Deletes a join code whose time is up; its enrollment expires through its own "enrollment" index row.</summary>
public sealed class JoinCodeExpiryHandler(Tables tables) : IExpiryHandler
{
    public string Kind => JoinCodes.ExpiryKind;

    public async Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.JoinCodes, cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<JoinCodeEntity>(entry.TargetPartitionKey, entry.TargetRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue)
        {
            return ExpiryOutcome.Gone;
        }

        if (found.Value!.ExpiresAt > now)
        {
            return ExpiryOutcome.NotDue;
        }

        try
        {
            await table.DeleteEntityAsync(entry.TargetPartitionKey, entry.TargetRowKey, found.Value.ETag, cancellationToken).ConfigureAwait(false);
            return ExpiryOutcome.Expired;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return ExpiryOutcome.Gone;
        }
    }
}
