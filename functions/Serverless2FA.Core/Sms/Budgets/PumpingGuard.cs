using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Faults;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Sms.Budgets;

/// <summary>
/// SMS pumping sends enrollment texts to ranges of numbers an attacker is paid for, and those enrollments never
/// complete. So per 1,000-number block (the E.164 number less its last three digits), enrollment texts and completed
/// enrollments are counted over <see cref="SmsOptions.PumpingWindow"/>; a block that had at least
/// <see cref="SmsOptions.PumpingMinSends"/> texts of which fewer than <see cref="SmsOptions.PumpingMinConversion"/>
/// completed gets no more enrollment texts (429 suspected-pumping) until completions or time restore it. Log-in codes
/// and notices are never refused by it. The block's key is an HMAC, and its counts one row: O(1) per send.
/// </summary>
public sealed class PumpingGuard(
    Tables tables,
    Optimistic optimistic,
    KeyRing keys,
    TimeProvider time,
    IOptions<SmsOptions> options,
    ILogger<PumpingGuard> logger)
{
    /// <summary>Counts a completed enrollment to <paramref name="e164"/> for its block. Never fails the completion: a fault is logged.</summary>
    public async Task RecordCompletionAsync(string e164, CancellationToken cancellationToken)
    {
        try
        {
            var partitionKey = await BlockKeyAsync(e164, cancellationToken).ConfigureAwait(false);
            var window = options.Value.PumpingWindow;
            await optimistic.ChangeAsync(
                ct => LoadAsync(partitionKey, ct),
                (row, now) =>
                {
                    row.Completions = Buckets.Parse(row.Completions).Add(now, 1, window, now).ToString();
                    return new Decision<bool>(true, new Changes(Tables.Phones).Save(row));
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DependencyFaults.Is(ex))
        {
            logger.LogWarning(ex, "Could not count a completed enrollment for the pumping guard of {Block}", PhoneMask.Mask(e164));
        }
    }

    internal async Task<ISendCounter> CounterForAsync(string e164, CancellationToken cancellationToken)
        => new Counter(this, await BlockKeyAsync(e164, cancellationToken).ConfigureAwait(false));

    /// <summary>"b" and the HMAC of the block: the number less its last three digits.</summary>
    private async Task<string> BlockKeyAsync(string e164, CancellationToken cancellationToken)
        => "b" + await keys.LookupHashAsync("phone-block", Block(e164), cancellationToken).ConfigureAwait(false);

    internal static string Block(string e164) => e164.Length > 4 ? e164[..^3] : e164;

    private async Task<PumpingEntity> LoadAsync(string partitionKey, CancellationToken cancellationToken)
        => await tables.FindAsync<PumpingEntity>(Tables.Phones, partitionKey, PumpingEntity.Row, cancellationToken).ConfigureAwait(false)
           ?? new PumpingEntity { PartitionKey = partitionKey };

    /// <returns>Why the block gets no more enrollment texts now; null when it may.</returns>
    internal static Failure? Suspicion(PumpingEntity row, SmsOptions options, DateTimeOffset now)
    {
        var window = options.PumpingWindow;
        var sends = Buckets.Parse(row.Sends);
        var sent = sends.Sum(window, now);
        var completed = Buckets.Parse(row.Completions).Sum(window, now);
        if (sent < options.PumpingMinSends || completed >= options.PumpingMinConversion * sent)
        {
            return null;
        }

        var leaves = sends.OldestLeaves(window, now) ?? now + window;
        return new Failure(FailureKind.SuspectedPumping, "Setup texts to numbers like this one are paused because of unusual activity. Use an authenticator app, or try again later.")
        {
            RetryAfter = leaves - now > TimeSpan.FromMinutes(1) ? leaves - now : TimeSpan.FromMinutes(1),
        };
    }

    private DateTimeOffset Now => time.GetUtcNow();

    private Failure? Suspicion(PumpingEntity row, DateTimeOffset now) => Suspicion(row, options.Value, now);

    private Task<Result<DateTimeOffset>> TakeAsync(string partitionKey, PumpingEntity? loaded, CancellationToken cancellationToken)
        => optimistic.ChangeAsync(
            ct => Interlocked.Exchange(ref loaded, null) is { } first ? Task.FromResult(first) : LoadAsync(partitionKey, ct),
            (row, now) =>
            {
                if (Suspicion(row, now) is { } refused)
                {
                    return refused;
                }

                row.Sends = Buckets.Parse(row.Sends).Add(now, 1, options.Value.PumpingWindow, now).ToString();
                return new Decision<DateTimeOffset>(now, new Changes(Tables.Phones).Save(row));
            },
            cancellationToken,
            SendBudgets.Busy);

    private Task<Result<bool>> ReleaseAsync(string partitionKey, DateTimeOffset taken, CancellationToken cancellationToken)
        => optimistic.ChangeAsync(
            ct => LoadAsync(partitionKey, ct),
            (row, now) =>
            {
                row.Sends = Buckets.Parse(row.Sends).Add(taken, -1, options.Value.PumpingWindow, now).ToString();
                return new Decision<bool>(true, row.ETag == default ? null : new Changes(Tables.Phones).Replace(row));
            },
            cancellationToken);

    /// <summary>One send's slot of its block's enrollment texts.</summary>
    private sealed class Counter(PumpingGuard guard, string partitionKey) : ISendCounter
    {
        private PumpingEntity? _checked;
        private DateTimeOffset? _taken;

        public async Task<Failure?> CheckAsync(CancellationToken cancellationToken)
        {
            _checked = await guard.LoadAsync(partitionKey, cancellationToken).ConfigureAwait(false);
            return guard.Suspicion(_checked, guard.Now);
        }

        public async Task<Failure?> TakeAsync(CancellationToken cancellationToken)
        {
            var taken = await guard.TakeAsync(partitionKey, Interlocked.Exchange(ref _checked, null), cancellationToken).ConfigureAwait(false);
            _taken = taken.Succeeded ? taken.Value : null;
            return taken.Failure;
        }

        public async Task ReleaseAsync(CancellationToken cancellationToken)
        {
            if (_taken is { } taken)
            {
                await guard.ReleaseAsync(partitionKey, taken, cancellationToken).ConfigureAwait(false);
                _taken = null;
            }
        }
    }
}
