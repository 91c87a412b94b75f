using Microsoft.Extensions.Options;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.TextEnrollment;

/// <summary>
/// Twilio retries a webhook it thinks failed, so one inbound MessageSid may arrive twice. Claiming it is an insert
/// that a duplicate loses: storage, not memory, decides which delivery has the effect.
/// </summary>
public sealed class InboundMessages(Tables tables, Optimistic optimistic, TimeProvider time, IOptions<ExpiryOptions> options)
{
    /// <returns>True for the first delivery of <paramref name="messageSid"/>; false when it was already handled.</returns>
    public Task<bool> TryClaimAsync(string messageSid, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Remembered for Expiry:MessageSidRetention (Twilio retries within hours), then swept.
        var claim = new MessageEntity { PartitionKey = messageSid, RowKey = MessageEntity.Inbound, At = now };
        var due = new Due(ExpiryKinds.Retention, now + options.Value.MessageSidRetention);
        return optimistic.TryCommitAsync(new Changes(Tables.Messages).Add(claim, due), cancellationToken);
    }

    /// <summary>Gives the sid back when handling it failed on a fault, so Twilio's retry is handled rather than dropped.</summary>
    public async Task ReleaseAsync(string messageSid, CancellationToken cancellationToken)
    {
        try
        {
            await tables.DeleteAnyAsync(Tables.Messages, messageSid, MessageEntity.Inbound, cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException)
        {
            // Storage is failing already; the retry will then be taken as handled, which is the lesser harm.
        }
    }
}
