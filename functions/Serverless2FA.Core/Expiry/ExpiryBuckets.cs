using System.Globalization;

namespace Serverless2FA.Core.Expiry;

/// <summary>
/// Arithmetic on the minute buckets of the expiry index ("yyyyMMddHHmm", UTC) and on the UTC days
/// ("yyyyMMdd", a bucket's first eight characters) each of which has its own index table. The keys sort as
/// the minutes do, so "the buckets after the cursor up to now" is one PartitionKey range in each day table.
/// </summary>
public static class ExpiryBuckets
{
    private const string Format = "yyyyMMddHHmm";
    private const int DayLength = 8;

    /// <summary>
    /// How long after a minute ends before the cursor may pass it. An index row is written just before
    /// its target, so one due within seconds of its creation can land in a minute the sweep has already
    /// read; the cursor waits this long, and meanwhile each run reads those minutes again (only rows not
    /// yet handled are still there, so this costs no extra requests).
    /// </summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromMinutes(5);

    public static string Of(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Start(string bucket)
        => new(DateTime.ParseExact(bucket, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));

    public static string Next(string bucket) => Of(Start(bucket).AddMinutes(1));

    public static string Previous(string bucket) => Of(Start(bucket).AddMinutes(-1));

    /// <summary>The last bucket the cursor may pass at <paramref name="now"/>: it ended at least <see cref="SettleTime"/> ago.</summary>
    public static string SettledThrough(DateTimeOffset now) => Of(now - SettleTime - TimeSpan.FromMinutes(1));

    /// <summary>Where a run starts: after the stored cursor, or (first run) after <paramref name="maxLookBack"/> ago.</summary>
    public static string SweepAfter(string? cursor, DateTimeOffset now, TimeSpan maxLookBack)
        => cursor ?? Of(now - maxLookBack);

    /// <summary>The UTC day ("yyyyMMdd") of <paramref name="bucket"/>: which index table holds its rows.</summary>
    public static string Day(string bucket) => bucket[..DayLength];

    /// <summary>The last minute bucket of <paramref name="day"/>: once the cursor reaches it, the whole day is swept.</summary>
    public static string LastOf(string day) => day + "2359";

    /// <summary>The days holding the buckets after <paramref name="afterBucket"/> through <paramref name="throughBucket"/>, in order.</summary>
    public static IReadOnlyList<string> Days(string afterBucket, string throughBucket)
    {
        var days = new List<string>();
        if (string.CompareOrdinal(afterBucket, throughBucket) >= 0)
        {
            return days;
        }

        var last = Day(throughBucket);
        for (var day = Day(Next(afterBucket)); string.CompareOrdinal(day, last) <= 0; day = Day(Next(LastOf(day))))
        {
            days.Add(day);
        }

        return days;
    }

    /// <summary>
    /// Is <paramref name="bucket"/>'s whole day settled at <paramref name="now"/> (its last minute ended at
    /// least <see cref="SettleTime"/> ago)? No row can still arrive in such a day, so its table may go whole.
    /// </summary>
    public static bool DayClosed(string bucket, DateTimeOffset now) => string.CompareOrdinal(LastOf(Day(bucket)), SettledThrough(now)) <= 0;

    public static string Min(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? a : b;

    public static string Max(string a, string b) => string.CompareOrdinal(a, b) >= 0 ? a : b;
}
