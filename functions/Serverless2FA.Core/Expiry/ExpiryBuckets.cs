using System.Globalization;

namespace Serverless2FA.Core.Expiry;

/// <summary>
/// Arithmetic on the minute buckets of the expiry index ("yyyyMMddHHmm", UTC). The keys sort as the
/// minutes do, so "the buckets after the cursor up to now" is one PartitionKey range.
/// </summary>
public static class ExpiryBuckets
{
    private const string Format = "yyyyMMddHHmm";

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

    public static string Min(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? a : b;

    public static string Max(string a, string b) => string.CompareOrdinal(a, b) >= 0 ? a : b;
}
