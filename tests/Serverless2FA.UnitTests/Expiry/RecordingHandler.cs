using System.Collections.Concurrent;
using Serverless2FA.Core.Expiry;

namespace Serverless2FA.UnitTests.Expiry;

/// <summary>A handler that answers <paramref name="outcome"/> (or throws), records what it was given and can move the clock.</summary>
internal sealed class RecordingHandler(string kind, Func<ExpiryEntry, ExpiryOutcome>? outcome = null, Action? onCall = null) : IExpiryHandler
{
    public string Kind => kind;

    public ConcurrentQueue<(string Target, DateTimeOffset Now)> Calls { get; } = new();

    public IEnumerable<string> Targets => Calls.Select(c => c.Target);

    public Task<ExpiryOutcome> ExpireAsync(ExpiryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Calls.Enqueue((entry.TargetPartitionKey, now));
        onCall?.Invoke();
        return Task.FromResult(outcome?.Invoke(entry) ?? ExpiryOutcome.Expired);
    }
}
