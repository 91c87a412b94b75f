using System.Text.Json;
using Serverless2FA.Core.Events;

namespace Serverless2FA.Core.Storage;

/// <summary>
/// An outbox row: an event written in the same partition transaction as the change it reports (table Users, the
/// user's partition, row "event-{webhook-id}"), with where its delivery stands. Holds the user id only encrypted, and
/// no phone number, code or token (<see cref="EventDrafts"/> types every field). It carries an index entry
/// (<see cref="EventStates.ExpiryKind"/>) due at <see cref="CheckAt"/>: the sweep queues it again if nothing delivered
/// it by then, and deletes it once it is delivered or parked.
/// </summary>
internal sealed class EventEntity : TableRow
{
    public const string RowPrefix = "event-";

    public string EventId { get; set; } = string.Empty;
    public string Type { get; set; } = string.Empty;
    /// <summary>When the change happened (the event's <c>timestamp</c>); the row's own Timestamp is storage's.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>The relying app's user id, encrypted as the enrollment holds it.</summary>
    public string UserIdCipher { get; set; } = string.Empty;

    /// <summary>The data fields other than <c>userId</c>, as JSON.</summary>
    public string Fields { get; set; } = "{}";

    /// <summary><see cref="EventStates"/>: pending, retrying, delivered or parked.</summary>
    public string Status { get; set; } = EventStates.Pending;

    public int Attempts { get; set; }
    public int? LastStatusCode { get; set; }
    public string? Detail { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? NextTryAt { get; set; }

    /// <summary>When the sweep looks at it next: by then it is delivered, or it is queued again.</summary>
    public DateTimeOffset CheckAt { get; set; }

    public static string RowKeyOf(string eventId) => RowPrefix + eventId;

    public bool IsSettled => Status is EventStates.Delivered or EventStates.Parked;

    public static EventEntity Pending(string userKey, string userIdCipher, EventDraft draft) => new()
    {
        PartitionKey = userKey,
        RowKey = RowKeyOf(draft.Id),
        EventId = draft.Id,
        Type = draft.Type,
        OccurredAt = draft.Timestamp,
        UserIdCipher = userIdCipher,
        Fields = draft.Fields.GetRawText(),
        UpdatedAt = draft.Timestamp,
        CheckAt = draft.Timestamp + EventStates.RequeueAfter,
    };

    public EventDraft ToDraft()
    {
        using var fields = JsonDocument.Parse(Fields);
        return new EventDraft(EventId, Type, OccurredAt, fields.RootElement.Clone());
    }
}
