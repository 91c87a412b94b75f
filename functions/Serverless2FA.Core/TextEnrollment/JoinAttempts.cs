using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.TextEnrollment;

/// <summary>
/// Wrong JOIN codes per sending number, a sliding hour in storage (table Phones, row "join-tries"), so guessing
/// join codes from one phone stops after a few tries on every instance.
/// </summary>
public sealed class JoinAttempts(Tables tables, Optimistic optimistic, TimeProvider time)
{
    public const int MaxPerHour = 5;

    /// <returns>How long to wait before the next try, or null when a try is allowed now.</returns>
    public async Task<TimeSpan?> WaitAsync(string phoneKey, CancellationToken cancellationToken)
    {
        var found = await tables.FindAsync<JoinTriesEntity>(Tables.Phones, phoneKey, JoinTriesEntity.Row, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return SlidingHour.Parse(found?.Tries, now).WaitUnder(MaxPerHour, now);
    }

    /// <summary>Parallel wrong guesses each count: a conflict reads what the other wrote and adds to it.</summary>
    public Task RecordFailureAsync(string phoneKey, CancellationToken cancellationToken)
        => optimistic.ChangeAsync(
            ct => tables.FindAsync<JoinTriesEntity>(Tables.Phones, phoneKey, JoinTriesEntity.Row, ct),
            (found, now) =>
            {
                var tries = found ?? new JoinTriesEntity { PartitionKey = phoneKey };
                tries.Tries = SlidingHour.Parse(tries.Tries, now).With(now).ToString();
                return new Decision<bool>(true, new Changes(Tables.Phones).Save(tries));
            },
            cancellationToken);
}
