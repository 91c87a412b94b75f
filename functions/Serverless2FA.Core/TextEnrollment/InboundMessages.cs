using Azure;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.TextEnrollment;

/// <summary>
/// Twilio retries a webhook it thinks failed, so one inbound MessageSid may arrive twice. Claiming it is an insert
/// that fails on a duplicate (409): storage, not memory, decides which delivery has the effect.
/// </summary>
public sealed class InboundMessages(Tables tables, TimeProvider time)
{
    /// <returns>True for the first delivery of <paramref name="messageSid"/>; false when it was already handled.</returns>
    public async Task<bool> TryClaimAsync(string messageSid, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.Messages, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(new MessageEntity { PartitionKey = messageSid, RowKey = MessageEntity.Inbound, At = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
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
