namespace Serverless2FA.IntegrationTests.Infrastructure;

/// <summary>
/// The real clock plus an offset tests can move forward: lifetimes can be passed without waiting,
/// while timers (Twilio retry back-off) stay real and short.
/// </summary>
public sealed class ShiftableTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Raised with the new offset after each move, for a clock kept in step in another process.</summary>
    public event Action<TimeSpan>? Shifted;

    public void Advance(TimeSpan by)
    {
        var offset = TimeSpan.FromTicks(Interlocked.Add(ref _offsetTicks, by.Ticks));
        Shifted?.Invoke(offset);
    }
}
