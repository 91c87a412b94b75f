using Microsoft.Extensions.Logging;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Expiry;

/// <summary>
/// Deletes a record whose retention has run out (delivery status, processed MessageSid, audit entry):
/// exactly the row the index entry names. Its age decides, so it is deleted whatever it holds now.
/// </summary>
public sealed partial class RetentionExpiryHandler(Tables tables, ILogger<RetentionExpiryHandler> logger) : IExpiryHandler
{
    public string Kind => ExpiryKinds.Retention;

    public async Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (Tables.IsExpiry(entry.Table))
        {
            // Never the index itself: a mistaken entry must not delete the sweep's cursor or other entries.
            LogRefused(entry.PartitionKey);
            return ExpiryOutcome.Gone;
        }

        var deleted = await tables.DeleteAnyAsync(entry.Table, entry.TargetPartitionKey, entry.TargetRowKey, cancellationToken).ConfigureAwait(false);
        return deleted ? ExpiryOutcome.Expired : ExpiryOutcome.Gone;
    }

    [LoggerMessage(LogLevel.Warning, "A retention entry in bucket {Bucket} names the expiry index itself; it was dropped")]
    private partial void LogRefused(string bucket);
}
