using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Faults;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Sms.Budgets;

/// <summary>
/// The sending limits of API.md, counted in storage per purpose so that one purpose never uses up another's: per
/// number (sliding hour), per user (log-in and enrollment, sliding hour), per ISO region (clock hour; US and CA apart),
/// the service's texts per UTC day, and for enrollment texts the pumping guard. Every limit of a send is checked
/// first, then each takes a slot with its row's ETag; when one refuses meanwhile, the slots taken are given back, so
/// a refused send uses up nothing. Parallel sends never pass a limit: each slot is a conditional write.
/// </summary>
public sealed class SendBudgets(
    Tables tables,
    Optimistic optimistic,
    PhoneNumberPolicy phones,
    PumpingGuard pumping,
    TimeProvider time,
    IOptions<SmsOptions> options,
    ILogger<SendBudgets> logger)
{
    internal static readonly Failure Busy
        = new(FailureKind.Unavailable, "Text messages cannot be sent right now. Try again in a minute.") { RetryAfter = TimeSpan.FromSeconds(5) };

    /// <summary>Takes a slot of every limit of one text to <paramref name="to"/>, or none.</summary>
    /// <param name="phoneKey">The HMAC of <paramref name="to"/>.</param>
    /// <param name="userKey">The user the text is for; null when there is none yet (then no per-user limit applies).</param>
    public async Task<Result<SendReservation>> ReserveAsync(string to, string phoneKey, string? userKey, SmsPurpose purpose, CancellationToken cancellationToken)
    {
        var (region, _) = PhoneNumberPolicy.Describe(to);
        if (!phones.IsAllowed(region))
        {
            return new Failure(FailureKind.Undeliverable, "Text messages to this number's country are not offered. Use an authenticator app.");
        }

        var (counters, day) = await CountersAsync(to, phoneKey, userKey, region!, purpose, cancellationToken).ConfigureAwait(false);
        var checks = await Task.WhenAll(counters.Select(c => c.CheckAsync(cancellationToken))).ConfigureAwait(false);
        var refused = checks.FirstOrDefault(f => f is not null);
        if (refused is null)
        {
            var takes = counters.Select(c => c.TakeAsync(cancellationToken)).ToList();
            try
            {
                await Task.WhenAll(takes).ConfigureAwait(false);
            }
            // A storage fault midway is answered 503 without giving back: storage is failing, and a request spends at
            // most one storage budget. The slots taken then stay taken until their hour (or day) passes.
            catch (Exception ex) when (!DependencyFaults.Is(ex))
            {
                await GiveBackAsync(counters, cancellationToken).ConfigureAwait(false);
                throw;
            }

            refused = takes.Select(t => t.Result).FirstOrDefault(f => f is not null);
            if (refused is null)
            {
                return new SendReservation(counters, this);
            }

            await GiveBackAsync(counters, cancellationToken).ConfigureAwait(false);
        }

        if (day.WasFull)
        {
            await AlertOnceAsync(day, cancellationToken).ConfigureAwait(false);
        }

        return refused;
    }

    /// <summary>Gives back every slot taken; a fault is logged, since the send is refused or failed either way.</summary>
    internal async Task GiveBackAsync(IReadOnlyList<ISendCounter> counters, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(counters.Select(c => c.ReleaseAsync(cancellationToken))).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DependencyFaults.Is(ex))
        {
            logger.LogWarning(ex, "Could not give back the send slots of a text that did not go out");
        }
    }

    /// <summary>Most telling first: the first refusal in this order is the answer.</summary>
    private async Task<(IReadOnlyList<ISendCounter> Counters, ShardedCounter Day)> CountersAsync(
        string to, string phoneKey, string? userKey, string region, SmsPurpose purpose, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var counters = new List<ISendCounter>
        {
            new SlidingHourCounter<PhoneEntity>(
                tables, optimistic, time, phoneKey, PhoneEntity.Row, purpose, o.PerNumberPerHour(purpose),
                wait => new Failure(FailureKind.RateLimited, "Too many texts to this number. Try again later.") { RetryAfter = wait },
                phone => phone.OptedOut ? TextingService.OptedOut() : null),
        };
        if (purpose == SmsPurpose.Enrollment)
        {
            counters.Add(await pumping.CounterForAsync(to, cancellationToken).ConfigureAwait(false));
        }

        if (userKey is not null && purpose != SmsPurpose.Notice)
        {
            counters.Add(new SlidingHourCounter<SendCountEntity>(
                tables, optimistic, time, userKey, SendCountEntity.UserRow, purpose, o.PerUserPerHour,
                wait => new Failure(FailureKind.RateLimited, "Too many texts for this user. Try again later.") { RetryAfter = wait }));
        }

        counters.Add(new ShardedCounter(
            tables, optimistic, time, "region-" + region + "-" + purpose.ToString().ToLowerInvariant(), CountingPeriod.ClockHour, o.PerCountryPerHour,
            wait => new Failure(FailureKind.RateLimited, "Too many texts to this country right now. Try again later, or use an authenticator app.") { RetryAfter = wait }));
        var day = new ShardedCounter(
            tables, optimistic, time, DayPartition, CountingPeriod.UtcDay, o.PerDay,
            wait => new Failure(FailureKind.Unavailable, "The service has sent all the text messages it may send today. Try again tomorrow, or use an authenticator app.") { RetryAfter = wait });
        counters.Add(day);
        return (counters, day);
    }

    private const string DayPartition = "day";

    /// <summary>
    /// The first refusal of a day, of all instances, logs one error naming the budget (for alerting); the rest log
    /// nothing more. Decided by which request adds the day's alert row.
    /// </summary>
    private async Task AlertOnceAsync(ShardedCounter day, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rowKey = "alert-" + day.PeriodKey(now);
        try
        {
            var first = await optimistic.ChangeAsync(
                ct => tables.FindAsync<SendCountEntity>(Tables.Phones, DayPartition, rowKey, ct),
                (row, at) => row is not null
                    ? new Decision<bool>(false)
                    : new Decision<bool>(true, new Changes(Tables.Phones).Add(
                        new SendCountEntity { PartitionKey = DayPartition, RowKey = rowKey },
                        new Due(Expiry.ExpiryKinds.Retention, at + TimeSpan.FromDays(2)))),
                cancellationToken).ConfigureAwait(false);
            if (first.Succeeded && first.Value)
            {
                logger.LogError("The daily text budget Sms:PerDay ({Limit}) is used up for {Day}: no texts are sent until midnight UTC", options.Value.PerDay, day.PeriodKey(now));
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DependencyFaults.Is(ex))
        {
            logger.LogWarning(ex, "Could not record that the daily text budget is used up");
        }
    }
}

/// <summary>The slots one text took of every limit; given back when the text does not go out after all.</summary>
public sealed class SendReservation
{
    private readonly IReadOnlyList<ISendCounter> _counters;
    private readonly SendBudgets _budgets;

    internal SendReservation(IReadOnlyList<ISendCounter> counters, SendBudgets budgets) => (_counters, _budgets) = (counters, budgets);

    public Task GiveBackAsync(CancellationToken cancellationToken) => _budgets.GiveBackAsync(_counters, cancellationToken);
}
