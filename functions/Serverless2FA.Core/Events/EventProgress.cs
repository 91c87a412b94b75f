namespace Serverless2FA.Core.Events;

public enum EventStatus
{
    /// <summary>On the queue, not tried yet.</summary>
    Queued,

    /// <summary>A try failed; the next is scheduled.</summary>
    Retrying,

    Delivered,

    /// <summary>Given up after <see cref="Options.EventsOptions.RetryFor"/> (or unreadable): in the poison queue.</summary>
    Parked,
}

/// <summary>Where an event's delivery stands after something happened to it.</summary>
/// <param name="Attempts">Tries made so far.</param>
/// <param name="Detail">The last try's outcome in words (<see cref="DeliveryOutcome.Detail"/>).</param>
/// <param name="NextTryAt">When a <see cref="EventStatus.Retrying"/> event is tried again.</param>
public sealed record EventProgress(
    EventMessage Event, EventStatus Status, int Attempts, int? LastStatusCode, string? Detail, DateTimeOffset At, DateTimeOffset? NextTryAt);

/// <summary>Told of every step of every event's delivery (the local host's <c>dev/events</c> listens). Must not throw.</summary>
public interface IEventDeliveryObserver
{
    void OnProgress(EventProgress progress);
}
