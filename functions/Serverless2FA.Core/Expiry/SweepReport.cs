using System.Globalization;

namespace Serverless2FA.Core.Expiry;

/// <summary>What one run of the sweep did: what an operator reads in its log line.</summary>
public sealed class SweepReport
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, int[]> _byKind = new(StringComparer.Ordinal);

    public int Expired { get; private set; }
    public int Gone { get; private set; }
    public int NotDue { get; private set; }

    /// <summary>Rows of kinds no handler is registered for: left in the index until one is.</summary>
    public int UnknownKind { get; private set; }

    /// <summary>Rows whose handler threw: left in the index for the next run.</summary>
    public int Failed { get; private set; }

    /// <summary>Rows read whose due time is still ahead (the current minute).</summary>
    public int NotYetDue { get; private set; }

    public int PagesRead { get; internal set; }
    public int IndexRowsDeleted { get; internal set; }

    /// <summary>Index tables of whole past days removed at once (each with every handled row left in it).</summary>
    public int DayTablesDropped { get; internal set; }
    public bool StoppedOnBudget { get; internal set; }

    /// <summary>The last bucket finished after this run (null: none yet).</summary>
    public string? Cursor { get; internal set; }

    public TimeSpan Elapsed { get; internal set; }

    public int ExpiredOf(string kind)
    {
        lock (_lock)
        {
            return _byKind.TryGetValue(kind, out var counts) ? counts[(int)ExpiryOutcome.Expired] : 0;
        }
    }

    /// <summary>"link: 3 expired, 1 gone; enrollment: 2 expired" — one readable field for the log line.</summary>
    public string ByKind()
    {
        lock (_lock)
        {
            if (_byKind.Count == 0)
            {
                return "none";
            }

            return string.Join("; ", _byKind.Select(pair => pair.Key + ": " + string.Join(", ", new[]
            {
                (pair.Value[(int)ExpiryOutcome.Expired], "expired"),
                (pair.Value[(int)ExpiryOutcome.Gone], "gone"),
                (pair.Value[(int)ExpiryOutcome.NotDue], "not due"),
            }.Where(c => c.Item1 > 0).Select(c => c.Item1.ToString(CultureInfo.InvariantCulture) + " " + c.Item2))));
        }
    }

    internal void Count(string kind, ExpiryOutcome outcome)
    {
        lock (_lock)
        {
            if (!_byKind.TryGetValue(kind, out var counts))
            {
                _byKind[kind] = counts = new int[3];
            }

            counts[(int)outcome]++;
            _ = outcome switch
            {
                ExpiryOutcome.Expired => ++Expired,
                ExpiryOutcome.Gone => ++Gone,
                _ => ++NotDue,
            };
        }
    }

    internal void CountUnknownKind()
    {
        lock (_lock)
        {
            UnknownKind++;
        }
    }

    internal void CountFailed()
    {
        lock (_lock)
        {
            Failed++;
        }
    }

    internal void CountNotYetDue()
    {
        lock (_lock)
        {
            NotYetDue++;
        }
    }
}
