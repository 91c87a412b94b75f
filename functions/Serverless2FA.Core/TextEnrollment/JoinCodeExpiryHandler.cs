using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.TextEnrollment;

/// <summary>Deletes a join code whose time is up; its enrollment expires through its own "enrollment" index row.</summary>
public sealed class JoinCodeExpiryHandler(Tables tables, Optimistic optimistic) : IExpiryHandler
{
    public string Kind => JoinCodes.ExpiryKind;

    public async Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = await optimistic.ChangeAsync(
            ct => tables.FindAsync<JoinCodeEntity>(Tables.JoinCodes, entry.TargetPartitionKey, entry.TargetRowKey, ct),
            (code, _) => code is null ? new Decision<ExpiryOutcome>(ExpiryOutcome.Gone)
                : code.ExpiresAt > now ? new Decision<ExpiryOutcome>(ExpiryOutcome.NotDue)
                : new Decision<ExpiryOutcome>(ExpiryOutcome.Expired, new Changes(Tables.JoinCodes).Delete(code)),
            cancellationToken).ConfigureAwait(false);
        return expired.Succeeded ? expired.Value : ExpiryOutcome.Gone;
    }
}
