namespace Serverless2FA.Core.Events;

/// <summary>
/// When an event that was not delivered is tried again: after 5 s, 30 s, 2 min, 10 min, 1 h and then hourly (API.md),
/// for <see cref="Options.EventsOptions.RetryFor"/> from the event's timestamp; a try that would fall later is not made
/// and the event is parked instead.
/// </summary>
public sealed class RetrySchedule
{
    /// <summary>API.md's schedule; the last delay repeats.</summary>
    public static readonly RetrySchedule Standard = new(
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1));

    private readonly TimeSpan[] _delays;

    /// <param name="delays">The waits after try 1, 2, …; the last one repeats.</param>
    public RetrySchedule(params TimeSpan[] delays)
    {
        ArgumentNullException.ThrowIfNull(delays);
        if (delays.Length == 0 || delays.Any(d => d < TimeSpan.Zero))
        {
            throw new ArgumentException("A retry schedule needs at least one delay, none negative.", nameof(delays));
        }

        _delays = [.. delays];
    }

    /// <summary>The wait after try <paramref name="attempt"/> (from 1) failed.</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        return _delays[Math.Min(attempt, _delays.Length) - 1];
    }

    /// <summary>
    /// The wait before the next try after try <paramref name="attempt"/> failed at <paramref name="now"/>, or null when
    /// that try would start after <paramref name="retryFor"/> from <paramref name="timestamp"/>: then the event is parked.
    /// </summary>
    public TimeSpan? NextDelay(int attempt, DateTimeOffset timestamp, DateTimeOffset now, TimeSpan retryFor)
    {
        var delay = DelayAfter(attempt);
        return now + delay <= timestamp + retryFor ? delay : null;
    }
}
