namespace Serverless2FA.Core.Storage;

/// <summary>Where an outbox row's delivery stands, as its <see cref="EventEntity.Status"/> column and <c>dev/events</c> write it.</summary>
internal static class EventStates
{
    /// <summary>The index entry kind of an outbox row.</summary>
    public const string ExpiryKind = "event";

    /// <summary>Committed; queued after the commit, or (a crash, a queue fault) not yet.</summary>
    public const string Pending = "pending";

    /// <summary>A try failed; the next is on the queue for <see cref="EventEntity.NextTryAt"/>.</summary>
    public const string Retrying = "retrying";

    public const string Delivered = "delivered";

    /// <summary>Given up after Events:RetryFor: in the poison queue.</summary>
    public const string Parked = "parked";

    /// <summary>
    /// How long after it was queued (or its next try was due) an undelivered row waits before the sweep queues it
    /// again. Far longer than the queue takes to hand a message over (the trigger polls every 2 s at most), so a
    /// message that is merely waiting is not doubled; short enough that a lost one goes out within minutes.
    /// </summary>
    public static readonly TimeSpan RequeueAfter = TimeSpan.FromMinutes(2);
}
