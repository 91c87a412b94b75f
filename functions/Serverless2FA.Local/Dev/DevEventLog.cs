using System.Collections.Concurrent;
using Serverless2FA.Core.Events;

namespace Serverless2FA.Local.Dev;

/// <summary>
/// What <c>dev/events</c> lists: where each event this local host tried to deliver stands, newest first. Local only,
/// so it lives in this one process's memory and keeps the latest <see cref="Capacity"/> events.
/// </summary>
internal sealed class DevEventLog : IEventDeliveryObserver
{
    public const int Capacity = 200;

    private readonly ConcurrentDictionary<string, EventProgress> _events = new(StringComparer.Ordinal);

    public void OnProgress(EventProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        // A later step never gives way to an earlier one that arrives late (a retry's "queued" after its "retrying").
        _events.AddOrUpdate(progress.Event.Id, progress, (_, old) => progress.Attempts >= old.Attempts ? progress : old);
        if (_events.Count > Capacity)
        {
            foreach (var oldest in _events.Values.OrderBy(e => e.At).Take(_events.Count - Capacity))
            {
                _events.TryRemove(oldest.Event.Id, out _);
            }
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<EventProgress> List() => [.. _events.Values.OrderByDescending(e => e.At).ThenByDescending(e => e.Event.Timestamp)];
}
