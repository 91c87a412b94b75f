using System.Collections.Concurrent;

namespace Serverless2FA.DemoApp.TwoFactor;

/// <summary>
/// With events on, the Settings page waits for <c>enrollment.completed</c>; still, every
/// <c>Demo:StatusReadWhileWaiting</c> (10 s) of waiting it reads the service's status once, so a missed or late event
/// (a service started without <c>Events:WebhookUrl</c>, a receiver that was down through the first retries) costs
/// seconds, not a stuck page. <c>00:00:00</c> turns the safety net off: then only the event flips the page.
/// </summary>
public sealed class WaitingStatusReads(TimeProvider clock, IConfiguration configuration)
{
    public const string Setting = "Demo:StatusReadWhileWaiting";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastRead = new(StringComparer.Ordinal);

    public TimeSpan Every { get; } = configuration.GetValue(Setting, TimeSpan.FromSeconds(10));

    /// <summary>Whether this poll of <paramref name="userId"/>'s page should read the service; the first poll starts the wait.</summary>
    public bool Due(string userId)
    {
        if (Every <= TimeSpan.Zero)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var last = _lastRead.GetOrAdd(userId, now);
        if (now - last < Every)
        {
            return false;
        }

        _lastRead[userId] = now;
        return true;
    }

    /// <summary>The wait is over (on, off or ended): the next one starts afresh.</summary>
    public void Done(string userId) => _lastRead.TryRemove(userId, out _);
}
