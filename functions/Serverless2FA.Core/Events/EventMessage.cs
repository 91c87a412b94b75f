using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless2FA.Core.Events;

/// <summary>
/// One event as it waits in the queue: what the relying app receives (<see cref="Type"/>, <see cref="Timestamp"/>,
/// <see cref="Data"/>), the <c>webhook-id</c> kept across retries (<see cref="Id"/>), and which try the message is for.
/// </summary>
/// <param name="Id">The <c>webhook-id</c>: the same on every try, so receivers de-duplicate by it.</param>
/// <param name="Timestamp">When the change happened; <see cref="Options.EventsOptions.RetryFor"/> counts from it.</param>
/// <param name="Attempt">The try this message is for, from 1.</param>
/// <param name="Outbox">The partition of the outbox row the event was written to (a user key, not personal), where its
/// delivery is recorded; null for a message with no row. Never part of what the relying app receives.</param>
public sealed record EventMessage(string Id, string Type, DateTimeOffset Timestamp, JsonElement Data, int Attempt = 1, string? Outbox = null)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The same event, for the next try.</summary>
    public EventMessage NextAttempt() => this with { Attempt = Attempt + 1 };

    /// <summary>The queue message's text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Web);

    /// <summary>
    /// The body the relying app receives, <c>{type, timestamp, data}</c>: the same bytes on every try, since it is
    /// made from the message alone.
    /// </summary>
    public string Body() => JsonSerializer.Serialize(new WebhookBody(Type, Timestamp.UtcDateTime, Data), Web);

    /// <summary>Reads a queue message's text; null (with the reason) for anything this service did not write.</summary>
    public static EventMessage? Parse(string text, out string? problem)
    {
        EventMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<EventMessage>(text, Web);
        }
        catch (JsonException e)
        {
            problem = $"not an event message: {e.Message}";
            return null;
        }

        problem = message switch
        {
            null => "not an event message: null",
            { Id: null or "" } => "it has no id",
            { Type: var type } when type is null || !EventTypes.All.Contains(type) => $"unknown type '{message.Type}'",
            { Data.ValueKind: not JsonValueKind.Object } => "its data is not an object",
            { Attempt: < 1 } => "its attempt is not positive",
            _ => null,
        };
        return problem is null ? message : null;
    }

    /// <summary>An event's data, serialized once with the web (camelCase) conventions of the API.</summary>
    internal static JsonElement DataOf<TData>(TData data) => JsonSerializer.SerializeToElement(data, Web);

    private sealed record WebhookBody(string Type, DateTime Timestamp, JsonElement Data);
}
