using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Core.Expiry;

/// <summary>
/// One run of the expiry timer. It reads only the index rows that are due — the minute buckets after its
/// cursor up to now, one PartitionKey range in the table of each day covered — hands each to the
/// <see cref="IExpiryHandler"/> of its kind, removes the rows it handled, and moves the cursor past the
/// buckets it finished. Its cost follows what expires, not what is stored. Two runs at once are safe:
/// handlers change targets with ETags, index rows are deleted with theirs, and the cursor only moves forward.
/// </summary>
/// <remarks>
/// Removing handled rows: a row of a day still open (today, or yesterday within the settle time) is deleted
/// with its ETag, as a later run reads its minute again while the cursor is held there, and a rewrite since
/// the read is kept. A row of a closed day — its last minute settled, so nothing can be written to it any
/// more — is left in place if the cursor ends up past it (never read again), and its day's table is dropped
/// with one request once the cursor is past the whole day (Table Storage's high-volume delete pattern);
/// only the closed-day rows the cursor stays before (a held row, the budget) are deleted one by one.
/// </remarks>
public sealed partial class ExpirySweep
{
    private readonly IExpiryIndexStore _store;
    private readonly Dictionary<string, IExpiryHandler> _handlers;
    private readonly TimeProvider _time;
    private readonly ExpiryOptions _options;
    private readonly ILogger<ExpirySweep> _logger;

    public ExpirySweep(IExpiryIndexStore store, IEnumerable<IExpiryHandler> handlers, TimeProvider time, IOptions<ExpiryOptions> options, ILogger<ExpirySweep> logger)
    {
        _store = store;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _handlers = new Dictionary<string, IExpiryHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Kind, handler))
            {
                throw new InvalidOperationException($"Two expiry handlers are registered for the kind '{handler.Kind}'.");
            }
        }
    }

    public async Task<SweepReport> RunAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        // One "now" for the whole run: what falls due while it runs is the next run's.
        var now = _time.GetUtcNow();
        var report = new SweepReport();
        var stored = await _store.ReadCursorAsync(cancellationToken).ConfigureAwait(false);
        var after = ExpiryBuckets.SweepAfter(stored?.LastSwept, now, _options.MaxLookBack);
        var through = ExpiryBuckets.Of(now);
        var progress = new SweepProgress(after, through);
        var unknownKinds = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var closedDayRows = new List<ExpiryEntry>();
        var absentDays = new HashSet<string>(StringComparer.Ordinal);

        if (string.CompareOrdinal(after, through) < 0)
        {
            await foreach (var page in _store.ReadAsync(after, through, absentDays, cancellationToken).ConfigureAwait(false))
            {
                if (OverBudget(started))
                {
                    // Checked when a page arrives rather than after the last one, so a run that finished on time is not marked stopped.
                    report.StoppedOnBudget = true;
                    break;
                }

                report.PagesRead++;
                var handled = await HandlePageAsync(page, now, started, report, progress, unknownKinds, cancellationToken).ConfigureAwait(false);
                closedDayRows.AddRange(handled.Where(e => ExpiryBuckets.DayClosed(e.PartitionKey, now)));
                await DeleteAsync([.. handled.Where(e => !ExpiryBuckets.DayClosed(e.PartitionKey, now))], report, progress, cancellationToken).ConfigureAwait(false);

                if (report.StoppedOnBudget)
                {
                    break;
                }
            }

            if (!report.StoppedOnBudget)
            {
                progress.Complete();
            }
        }

        foreach (var (kind, count) in unknownKinds)
        {
            LogUnknownKind(count, kind);
        }

        var cursor = progress.CursorAfter(stored?.LastSwept, now);
        var swept = cursor ?? stored?.LastSwept ?? after;
        // Closed-day rows the cursor stays before would be read again: delete them. Those it passes go with their day.
        await DeleteAsync([.. closedDayRows.Where(e => string.CompareOrdinal(e.PartitionKey, swept) > 0)], report, progress, cancellationToken).ConfigureAwait(false);
        if (cursor is not null)
        {
            // Before the cursor moves: if this run ends here, the next reads those days again (a dropped one reads
            // as empty) and drops what is left, so no day's table is forgotten.
            await DropPassedDaysAsync(after, cursor, absentDays, report, cancellationToken).ConfigureAwait(false);
            await _store.AdvanceCursorAsync(stored, cursor, now, cancellationToken).ConfigureAwait(false);
        }

        report.Cursor = cursor ?? stored?.LastSwept;
        report.Elapsed = _time.GetElapsedTime(started);
        return report;
    }

    private async Task DeleteAsync(IReadOnlyCollection<ExpiryEntry> handled, SweepReport report, SweepProgress progress, CancellationToken cancellationToken)
    {
        var deletion = await _store.DeleteAsync(handled, cancellationToken).ConfigureAwait(false);
        report.IndexRowsDeleted += deletion.Deleted;
        foreach (var kept in deletion.Rewritten)
        {
            progress.Hold(kept.PartitionKey);
        }
    }

    /// <summary>
    /// Drops the table of every day whose last minute the cursor moves past in this run (after <paramref name="from"/>,
    /// through <paramref name="cursor"/>). The cursor is never past <see cref="ExpiryBuckets.SettledThrough"/>, so each
    /// such day ended at least the settle time ago, and every row in it was handled or lies behind the cursor. A day
    /// this run found without a table is skipped: it was closed when read, so no table for it can appear since.
    /// </summary>
    private async Task DropPassedDaysAsync(string from, string cursor, HashSet<string> absentDays, SweepReport report, CancellationToken cancellationToken)
    {
        foreach (var day in ExpiryBuckets.Days(from, cursor).Where(d => string.CompareOrdinal(ExpiryBuckets.LastOf(d), cursor) <= 0 && !absentDays.Contains(d)))
        {
            if (await _store.DropDayAsync(day, cancellationToken).ConfigureAwait(false))
            {
                report.DayTablesDropped++;
            }
        }
    }

    private async Task<List<ExpiryEntry>> HandlePageAsync(
        IReadOnlyList<ExpiryEntry> page,
        DateTimeOffset now,
        long started,
        SweepReport report,
        SweepProgress progress,
        ConcurrentDictionary<string, int> unknownKinds,
        CancellationToken cancellationToken)
    {
        var handled = new ConcurrentBag<ExpiryEntry>();
        foreach (var entry in page)
        {
            progress.Saw(entry.PartitionKey);
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(page, parallel, async (entry, token) =>
        {
            if (report.StoppedOnBudget || OverBudget(started))
            {
                // Checked before each entry, so a run ends within the budget plus one handler's time.
                report.StoppedOnBudget = true;
                progress.Hold(entry.PartitionKey);
                return;
            }

            if (entry.DueAt > now)
            {
                report.CountNotYetDue();
                progress.Hold(entry.PartitionKey);
                return;
            }

            if (!_handlers.TryGetValue(entry.Kind, out var handler))
            {
                // Kept, not dropped: the handler for it may simply not be deployed yet.
                unknownKinds.AddOrUpdate(entry.Kind, 1, (_, n) => n + 1);
                report.CountUnknownKind();
                progress.Hold(entry.PartitionKey);
                return;
            }

            try
            {
                var outcome = await handler.ExpireAsync(entry, now, token).ConfigureAwait(false);
                report.Count(entry.Kind, outcome);
                handled.Add(entry);
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                report.CountFailed();
                progress.Hold(entry.PartitionKey);
                LogHandlerFailed(e, entry.Kind, entry.PartitionKey);
            }
        }).ConfigureAwait(false);
        return [.. handled];
    }

    private bool OverBudget(long started) => _time.GetElapsedTime(started) >= _options.TimeBudget;

    [LoggerMessage(LogLevel.Warning, "Expiry sweep left {Count} index rows of kind {Kind} in place: no handler is registered for it")]
    private partial void LogUnknownKind(int count, string kind);

    [LoggerMessage(LogLevel.Warning, "Expiry handler for {Kind} failed on an entry of bucket {Bucket}; the entry stays for the next run")]
    private partial void LogHandlerFailed(Exception exception, string kind, string bucket);
}
