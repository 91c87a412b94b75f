using System.Globalization;

namespace Serverless2FA.Core.Sms.Budgets;

/// <summary>
/// Counts in time buckets over a window, stored as "start:count" pairs (Unix seconds), space separated: the pumping
/// guard's texts and completions per block. A bucket is 1/<see cref="PerWindow"/> of the window, so a row holds at
/// most that many pairs however busy the block is; buckets that left the window are dropped on every write.
/// </summary>
internal readonly record struct Buckets(IReadOnlyList<(long Start, int Count)> Items)
{
    public const int PerWindow = 24;

    public static Buckets Parse(string? stored)
        => new([.. (stored ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split(':'))
            .Where(pair => pair.Length == 2)
            .Select(pair => (long.Parse(pair[0], CultureInfo.InvariantCulture), int.Parse(pair[1], CultureInfo.InvariantCulture)))]);

    public static long Length(TimeSpan window) => Math.Max(1, (long)window.TotalSeconds / PerWindow);

    /// <summary>The count of the buckets that overlap the window ending at <paramref name="now"/>.</summary>
    public int Sum(TimeSpan window, DateTimeOffset now)
    {
        var since = Since(window, now);
        return Items.Where(b => b.Start > since).Sum(b => b.Count);
    }

    /// <summary>When the oldest bucket within the window leaves it; null when none is in it.</summary>
    public DateTimeOffset? OldestLeaves(TimeSpan window, DateTimeOffset now)
    {
        var since = Since(window, now);
        var inWindow = Items.Where(b => b.Start > since).ToList();
        return inWindow.Count == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(inWindow.Min(b => b.Start) + Length(window)) + window;
    }

    /// <summary>These counts with <paramref name="by"/> added to the bucket of <paramref name="at"/>, less the buckets that left the window.</summary>
    public Buckets Add(DateTimeOffset at, int by, TimeSpan window, DateTimeOffset now)
    {
        var length = Length(window);
        var start = at.ToUnixTimeSeconds() / length * length;
        var since = Since(window, now);
        var items = Items.Where(b => b.Start > since).ToList();
        var index = items.FindIndex(b => b.Start == start);
        if (index >= 0)
        {
            items[index] = (start, Math.Max(0, items[index].Count + by));
        }
        else if (by > 0 && start > since)
        {
            items.Add((start, by));
        }

        return new([.. items.Where(b => b.Count > 0)]);
    }

    public override string ToString()
        => string.Join(' ', Items.Select(b => b.Start.ToString(CultureInfo.InvariantCulture) + ":" + b.Count.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Buckets that started at or before this (Unix seconds) ended before the window began.</summary>
    private static long Since(TimeSpan window, DateTimeOffset now) => (now - window).ToUnixTimeSeconds() - Length(window);
}
