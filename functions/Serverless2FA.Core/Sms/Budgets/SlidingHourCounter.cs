using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Sms.Budgets;

/// <summary>
/// A limit over a sliding hour of one purpose's send times in one row: per number (<see cref="PhoneEntity"/>, which also
/// says whether the number opted out) or per user (<see cref="SendCountEntity"/>). The oldest send leaving the hour
/// makes room.
/// </summary>
internal sealed class SlidingHourCounter<TRow>(
    Tables tables,
    Optimistic optimistic,
    TimeProvider time,
    string partitionKey,
    string rowKey,
    SmsPurpose purpose,
    int limit,
    Func<TimeSpan, Failure> full,
    Func<TRow, Failure?>? refuse = null) : ISendCounter
    where TRow : TableRow, IPurposeSends, new()
{
    private TRow? _checked;
    private DateTimeOffset? _taken;

    public async Task<Failure?> CheckAsync(CancellationToken cancellationToken)
    {
        _checked = await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Refusal(_checked, time.GetUtcNow());
    }

    public async Task<Failure?> TakeAsync(CancellationToken cancellationToken)
    {
        var taken = await optimistic.ChangeAsync(
            ct => Interlocked.Exchange(ref _checked, null) is { } loaded ? Task.FromResult(loaded) : LoadAsync(ct),
            (row, now) =>
            {
                if (Refusal(row, now) is { } refused)
                {
                    return refused;
                }

                row.Set(purpose, SlidingHour.Parse(row.Of(purpose), now).With(now).ToString());
                return new Decision<DateTimeOffset>(now, new Changes(Tables.Phones).Save(row));
            },
            cancellationToken,
            SendBudgets.Busy).ConfigureAwait(false);
        _taken = taken.Succeeded ? taken.Value : null;
        return taken.Failure;
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_taken is not { } taken)
        {
            return;
        }

        await optimistic.ChangeAsync(
            ct => tables.FindAsync<TRow>(Tables.Phones, partitionKey, rowKey, ct),
            (row, now) =>
            {
                var sends = SlidingHour.Parse(row?.Of(purpose), now);
                var less = sends.Without(taken);
                if (row is null || less.Times.Count == sends.Times.Count)
                {
                    return new Decision<bool>(false);
                }

                row.Set(purpose, less.ToString());
                return new Decision<bool>(true, new Changes(Tables.Phones).Replace(row));
            },
            cancellationToken).ConfigureAwait(false);
        _taken = null;
    }

    private async Task<TRow> LoadAsync(CancellationToken cancellationToken)
        => await tables.FindAsync<TRow>(Tables.Phones, partitionKey, rowKey, cancellationToken).ConfigureAwait(false)
           ?? new TRow { PartitionKey = partitionKey, RowKey = rowKey };

    private Failure? Refusal(TRow row, DateTimeOffset now)
        => refuse?.Invoke(row)
           ?? (SlidingHour.Parse(row.Of(purpose), now).WaitUnder(limit, now) is { } wait ? full(wait) : null);
}
