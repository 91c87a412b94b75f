using Azure;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.TextEnrollment;

/// <summary>
/// Twilio retries a webhook it thinks failed, so one inbound MessageSid may arrive twice. Claiming it is an insert
/// that fails on a duplicate (409): storage, not memory, decides which delivery has the effect.
/// </summary>
public sealed class InboundMessages(Tables tables, ExpiryIndex expiry, TimeProvider time, IOptions<ExpiryOptions> options)
{
    /// <returns>True for the first delivery of <paramref name="messageSid"/>; false when it was already handled.</returns>
    public async Task<bool> TryClaimAsync(string messageSid, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.Messages, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        // Remembered for Expiry:MessageSidRetention (Twilio retries within hours), then swept. Index first: a
        // leftover index row is harmless, a claim without one would be kept for ever.
        await expiry.AddAsync(ExpiryKinds.Retention, Tables.Messages, messageSid, MessageEntity.Inbound, now + options.Value.MessageSidRetention, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(new MessageEntity { PartitionKey = messageSid, RowKey = MessageEntity.Inbound, At = now }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Gives the sid back when handling it failed on a fault, so Twilio's retry is handled rather than dropped.</summary>
    public async Task ReleaseAsync(string messageSid, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.Messages, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(messageSid, MessageEntity.Inbound, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            // Storage is failing already; the retry will then be taken as handled, which is the lesser harm.
        }
    }
}
