using System.Globalization;

namespace Serverless2FA.Core.Sms;

/// <summary>
/// The times something happened within the last hour, stored as space-separated Unix seconds: texts to a number or
/// a user, wrong join codes from a phone. A limit over it slides: the oldest time leaving the hour makes room.
/// </summary>
internal readonly record struct SlidingHour(IReadOnlyList<DateTimeOffset> Times)
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(1);

    /// <summary>The times of <paramref name="stored"/> still within the hour before <paramref name="now"/>.</summary>
    public static SlidingHour Parse(string? stored, DateTimeOffset now)
        => new([.. (stored ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => DateTimeOffset.FromUnixTimeSeconds(long.Parse(s, CultureInfo.InvariantCulture)))
            .Where(t => t > now - Length)]);

    /// <summary>How long until one more fits under <paramref name="limit"/>; null when it fits now.</summary>
    public TimeSpan? WaitUnder(int limit, DateTimeOffset now) => Times.Count >= limit ? Times.Min() + Length - now : null;

    public SlidingHour With(DateTimeOffset now) => new([.. Times, now]);

    /// <summary>These times less one at the second of <paramref name="taken"/> (a send given back); unchanged when there is none.</summary>
    public SlidingHour Without(DateTimeOffset taken)
    {
        var second = taken.ToUnixTimeSeconds();
        var index = Times.ToList().FindIndex(t => t.ToUnixTimeSeconds() == second);
        return index < 0 ? this : new([.. Times.Where((_, i) => i != index)]);
    }

    public override string ToString() => string.Join(' ', Times.Select(t => t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
}
