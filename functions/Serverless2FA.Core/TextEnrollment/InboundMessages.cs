using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Faults;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.TextEnrollment;

/// <summary>
/// Twilio retries a webhook it thinks failed, so one inbound MessageSid may arrive twice. Claiming it is an insert
/// that a duplicate loses: storage, not memory, decides which delivery has the effect.
/// </summary>
public sealed class InboundMessages(
    Tables tables,
    Optimistic optimistic,
    TimeProvider time,
    IOptions<ExpiryOptions> options,
    IOptions<StorageOptions> storage,
    ILogger<InboundMessages> logger)
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

    /// <summary>
    /// Gives the sid back when handling it failed with <paramref name="failure"/>, so Twilio's retry is handled rather
    /// than dropped. After a dependency fault storage is likely failing still and the request has spent its budget:
    /// the release then gets one short try (<see cref="RetryBudget.AfterFault"/>), so Twilio still hears back in time.
    /// If it fails, the retry will be taken as handled, which is the lesser harm.
    /// </summary>
    public async Task ReleaseAsync(string messageSid, Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        using var deadline = new CancellationTokenSource();
        if (DependencyFaults.Is(failure))
        {
            deadline.CancelAfter(RetryBudget.AfterFault(storage.Value.RequestBudget));
        }

        try
        {
            await tables.DeleteAnyAsync(Tables.Messages, messageSid, MessageEntity.Inbound, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (DependencyFaults.Is(e))
        {
            logger.LogWarning(e, "Could not give back {MessageSid}; a retry of it will be taken as handled", messageSid);
        }
    }
}
