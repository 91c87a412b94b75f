using System.Runtime.CompilerServices;
using Azure;
using Serverless2FA.Core.Expiry;

namespace Serverless2FA.UnitTests.Expiry;

/// <summary>
/// The sweep's storage as Table Storage behaves for it: rows in key order, fixed-size pages with
/// optional empty pages between them, ETags on rows and on the cursor, a table per due day that can be
/// dropped whole. Records every range read and every day dropped.
/// </summary>
internal sealed class InMemoryExpiryIndexStore(int pageSize = 1000, bool emptyPagesBetween = false) : IExpiryIndexStore
{
    private readonly SortedDictionary<(string Pk, string Rk), ExpiryEntry> _rows = new(Comparer<(string, string)>.Create(
        (a, b) => string.CompareOrdinal(a.Item1, b.Item1) is var c && c != 0 ? c : string.CompareOrdinal(a.Item2, b.Item2)));
    private readonly Lock _lock = new();
    private readonly HashSet<string> _days = new(StringComparer.Ordinal);
    private SweepCursor? _cursor;
    private int _version;

    public List<(string After, string Through)> Reads { get; } = [];

    public int CursorWrites { get; private set; }

    /// <summary>Days whose table was dropped, in order (a drop of a day with no table is not listed).</summary>
    public List<string> Dropped { get; } = [];

    /// <summary>Every drop asked for, including those of days with no table.</summary>
    public List<string> DropRequests { get; } = [];

    public string? Cursor => _cursor?.LastSwept;

    public IReadOnlyList<ExpiryEntry> Rows
    {
        get
        {
            lock (_lock)
            {
                return [.. _rows.Values];
            }
        }
    }

    public ExpiryEntry Add(string kind, string target, DateTimeOffset dueAt)
    {
        var entry = new ExpiryEntry
        {
            PartitionKey = ExpiryBuckets.Of(dueAt),
            RowKey = ExpiryEntry.MakeRowKey(kind, "T", target, "r"),
            Kind = kind,
            Table = "T",
            TargetPartitionKey = target,
            TargetRowKey = "r",
            DueAt = dueAt,
        };
        lock (_lock)
        {
            entry.ETag = new ETag("v" + ++_version);
            _rows[(entry.PartitionKey, entry.RowKey)] = entry;
            _days.Add(ExpiryBuckets.Day(entry.PartitionKey));
        }

        return entry;
    }

    public void SetCursor(string bucket) => _cursor = new SweepCursor { LastSwept = bucket, ETag = new ETag("c" + ++_version) };

    public Task<SweepCursor?> ReadCursorAsync(CancellationToken cancellationToken)
        => Task.FromResult(_cursor is null ? null : new SweepCursor { LastSwept = _cursor.LastSwept, ETag = _cursor.ETag });

    public Task AdvanceCursorAsync(SweepCursor? read, string bucket, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_cursor is null || read is not null && read.ETag == _cursor.ETag)
            {
                SetCursor(bucket);
                CursorWrites++;
            }
            else if (string.CompareOrdinal(_cursor.LastSwept, bucket) < 0)
            {
                SetCursor(bucket);
                CursorWrites++;
            }
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<IReadOnlyList<ExpiryEntry>> ReadAsync(string afterBucket, string throughBucket, ICollection<string> absentDays, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Reads.Add((afterBucket, throughBucket));
        lock (_lock)
        {
            foreach (var day in ExpiryBuckets.Days(afterBucket, throughBucket).Where(d => !_days.Contains(d)))
            {
                absentDays.Add(day);
            }
        }

        (string Pk, string Rk)? next = (afterBucket + "~", "");
        while (next is { } from)
        {
            await Task.Yield();
            List<ExpiryEntry> page;
            lock (_lock)
            {
                page = [.. _rows.Where(r => Compare(r.Key, from) >= 0 && string.CompareOrdinal(r.Key.Pk, throughBucket) <= 0)
                    .Take(pageSize + 1).Select(r => Copy(r.Value))];
            }

            next = page.Count > pageSize ? (page[pageSize].PartitionKey, page[pageSize].RowKey) : null;
            yield return page.Take(pageSize).ToList();
            if (next is not null && emptyPagesBetween)
            {
                yield return [];
            }
        }
    }

    public Task<bool> DropDayAsync(string day, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            DropRequests.Add(day);
            var existed = _days.Remove(day);
            foreach (var key in _rows.Keys.Where(k => ExpiryBuckets.Day(k.Pk) == day).ToList())
            {
                _rows.Remove(key);
            }

            if (existed)
            {
                Dropped.Add(day);
            }

            return Task.FromResult(existed);
        }
    }

    public Task<IndexDeletion> DeleteAsync(IReadOnlyCollection<ExpiryEntry> entries, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var rewritten = new List<ExpiryEntry>();
        lock (_lock)
        {
            foreach (var entry in entries)
            {
                if (!_rows.TryGetValue((entry.PartitionKey, entry.RowKey), out var stored))
                {
                    continue;
                }

                if (stored.ETag != entry.ETag)
                {
                    rewritten.Add(entry);
                    continue;
                }

                _rows.Remove((entry.PartitionKey, entry.RowKey));
                deleted++;
            }
        }

        return Task.FromResult(new IndexDeletion(deleted, rewritten));
    }

    private static int Compare((string Pk, string Rk) a, (string Pk, string Rk) b)
        => string.CompareOrdinal(a.Pk, b.Pk) is var c && c != 0 ? c : string.CompareOrdinal(a.Rk, b.Rk);

    private static ExpiryEntry Copy(ExpiryEntry e) => new()
    {
        PartitionKey = e.PartitionKey,
        RowKey = e.RowKey,
        ETag = e.ETag,
        Kind = e.Kind,
        Table = e.Table,
        TargetPartitionKey = e.TargetPartitionKey,
        TargetRowKey = e.TargetRowKey,
        DueAt = e.DueAt,
    };
}
