namespace Serverless2FA.Core.Expiry;

/// <summary>
/// Which buckets one run has finished, so the cursor moves only past buckets with nothing left in them:
/// not past a row it left in place (unknown kind, a failure, not due yet, a rewrite), not past rows it
/// has not read (stopped on the budget), and not past a minute that may still receive late rows.
/// </summary>
internal sealed class SweepProgress(string after, string through)
{
    private readonly Lock _lock = new();
    private string? _firstHeld;
    private string? _lastSeen;
    private bool _completed;

    /// <summary>A row of <paramref name="bucket"/> stays in the index.</summary>
    public void Hold(string bucket)
    {
        lock (_lock)
        {
            _firstHeld = _firstHeld is null ? bucket : ExpiryBuckets.Min(_firstHeld, bucket);
        }
    }

    /// <summary>A row of <paramref name="bucket"/> was read (rows come in key order).</summary>
    public void Saw(string bucket)
    {
        lock (_lock)
        {
            _lastSeen = _lastSeen is null ? bucket : ExpiryBuckets.Max(_lastSeen, bucket);
        }
    }

    /// <summary>Every page of the range was read.</summary>
    public void Complete() => _completed = true;

    /// <summary>The bucket the cursor may move to, or null when it must stay at <paramref name="stored"/>.</summary>
    public string? CursorAfter(string? stored, DateTimeOffset now)
    {
        lock (_lock)
        {
            // Unfinished: the last bucket read may continue on the next page, so only the ones before it are whole.
            var limit = _completed ? through : _lastSeen is null ? after : ExpiryBuckets.Previous(_lastSeen);
            if (_firstHeld is not null)
            {
                limit = ExpiryBuckets.Min(limit, ExpiryBuckets.Previous(_firstHeld));
            }

            limit = ExpiryBuckets.Min(limit, ExpiryBuckets.SettledThrough(now));
            return stored is null || string.CompareOrdinal(limit, stored) > 0 ? limit : null;
        }
    }
}
