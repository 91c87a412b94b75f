using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless2FA.Core.Events;

/// <summary>
/// An event as a change decides it, before it names its user: everything of <see cref="EventMessage"/> but the
/// <c>userId</c>, which storage keeps only encrypted. The outbox row holds the draft; the message is made from it
/// (<see cref="For"/>) when it is queued.
/// </summary>
/// <param name="Fields">The event's data fields other than <c>userId</c>, as a JSON object.</param>
public sealed record EventDraft(string Id, string Type, DateTimeOffset Timestamp, JsonElement Fields)
{
    /// <summary>The message the relying app receives: <c>userId</c> first, then the draft's fields.</summary>
    /// <param name="outbox">The partition of the outbox row the event was written to; null for one that has none.</param>
    public EventMessage For(string userId, string? outbox = null, int attempt = 1)
    {
        var data = new JsonObject { ["userId"] = userId };
        foreach (var field in Fields.EnumerateObject())
        {
            data[field.Name] = JsonNode.Parse(field.Value.GetRawText());
        }

        return new EventMessage(Id, Type, Timestamp, EventMessage.DataOf(data), attempt, outbox);
    }
}
