using System.Globalization;
using System.Security.Cryptography;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Sms.Budgets;

/// <summary>How long a <see cref="ShardedCounter"/> counts before it starts again from zero.</summary>
internal enum CountingPeriod
{
    ClockHour,
    UtcDay,
}

/// <summary>
/// A service-wide count per clock hour or UTC day (per region and purpose, or all texts of a day). One row every send
/// races for would be a hot row, so the limit is split exactly over <see cref="Shards"/> rows of one partition: one
/// query reads them all, a send takes a random shard with room (another after a conflict), and is refused only when
/// every shard is full. Rows carry a retention entry, so old periods are deleted by the sweep.
/// </summary>
internal sealed class ShardedCounter(
    Tables tables,
    Optimistic optimistic,
    TimeProvider time,
    string partitionKey,
    CountingPeriod period,
    int limit,
    Func<TimeSpan, Failure> full) : ISendCounter
{
    public const int Shards = 8;

    private SendCountEntity[]? _checked;
    private string? _taken;

    /// <summary>Whether the last check or take found every shard full.</summary>
    public bool WasFull { get; private set; }

    /// <summary>The key of the current period ("yyyyMMddHH" or "yyyyMMdd").</summary>
    public string PeriodKey(DateTimeOffset now)
        => Start(now).ToString(period == CountingPeriod.ClockHour ? "yyyyMMddHH" : "yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>How much of shard <paramref name="shard"/>'s share of <paramref name="total"/> it holds: the shares add up to exactly the total.</summary>
    public static int Capacity(int total, int shard) => total / Shards + (shard < total % Shards ? 1 : 0);

    public async Task<Failure?> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        _checked = await LoadAsync(now, cancellationToken).ConfigureAwait(false);
        WasFull = _checked.Sum(s => s.Count) >= limit;
        return WasFull ? full(End(now) - now) : null;
    }

    public async Task<Failure?> TakeAsync(CancellationToken cancellationToken)
    {
        var taken = await optimistic.ChangeAsync(
            ct => Interlocked.Exchange(ref _checked, null) is { } loaded ? Task.FromResult(loaded) : LoadAsync(time.GetUtcNow(), ct),
            (shards, now) =>
            {
                var room = Enumerable.Range(0, Shards).Where(i => shards[i].Count < Capacity(limit, i)).ToList();
                WasFull = room.Count == 0;
                if (WasFull)
                {
                    return full(End(now) - now);
                }

                var row = shards[room[RandomNumberGenerator.GetInt32(room.Count)]];
                var created = row.ETag == default;
                row.Count++;
                // The period ends; an hour later its rows are of no more use.
                var due = created ? new Due(ExpiryKinds.Retention, End(now) + TimeSpan.FromHours(1)) : (Due?)null;
                return new Decision<string>(row.RowKey, new Changes(Tables.Phones).Save(row, due));
            },
            cancellationToken,
            SendBudgets.Busy).ConfigureAwait(false);
        _taken = taken.Succeeded ? taken.Value : null;
        return taken.Failure;
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_taken is not { } rowKey)
        {
            return;
        }

        await optimistic.ChangeAsync(
            ct => tables.FindAsync<SendCountEntity>(Tables.Phones, partitionKey, rowKey, ct),
            (row, _) =>
            {
                if (row is not { Count: > 0 })
                {
                    return new Decision<bool>(false);
                }

                row.Count--;
                return new Decision<bool>(true, new Changes(Tables.Phones).Replace(row));
            },
            cancellationToken).ConfigureAwait(false);
        _taken = null;
    }

    /// <summary>Every shard of the current period, those not written yet as new rows with a count of zero.</summary>
    private async Task<SendCountEntity[]> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var prefix = PeriodKey(now) + "-";
        var shards = Enumerable.Range(0, Shards)
            .Select(i => new SendCountEntity { PartitionKey = partitionKey, RowKey = prefix + i.ToString(CultureInfo.InvariantCulture) })
            .ToArray();
        await foreach (var row in tables.QueryAsync<SendCountEntity>(Tables.Phones, RowRange.Prefix(partitionKey, prefix), select: null, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (int.TryParse(row.RowKey.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var shard) && shard < Shards)
            {
                shards[shard] = row;
            }
        }

        return shards;
    }

    private DateTimeOffset Start(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTimeOffset(period == CountingPeriod.ClockHour ? utc.Date.AddHours(utc.Hour) : utc.Date, TimeSpan.Zero);
    }

    private DateTimeOffset End(DateTimeOffset now) => Start(now) + (period == CountingPeriod.ClockHour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1));
}
