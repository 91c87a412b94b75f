using Microsoft.Extensions.Options;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Local.Dev;

/// <summary>
/// <c>GET dev/events</c>: the events this local host tried to deliver to <c>Events:WebhookUrl</c>, with where each
/// stands (queued, retrying, delivered, parked), so a newcomer sees them without a receiver. Local host only.
/// </summary>
internal static class EventsEndpoint
{
    public static void MapEventsEndpoint(this IEndpointRouteBuilder endpoints)
        => endpoints.MapGet("dev/events", (DevEventLog log, IOptionsMonitor<EventsOptions> options) => Results.Json(new
        {
            webhookUrl = options.CurrentValue.WebhookUrl,
            note = options.CurrentValue.Enabled ? null : "Events:WebhookUrl is not set, so no events are sent.",
            events = log.List().Select(e => new
            {
                id = e.Event.Id,
                type = e.Event.Type,
                timestamp = e.Event.Timestamp.UtcDateTime,
                status = Status(e.Status),
                attempts = e.Attempts,
                lastStatusCode = e.LastStatusCode,
                detail = e.Detail,
                updatedAt = e.At.UtcDateTime,
                nextTryAt = e.NextTryAt?.UtcDateTime,
                data = e.Event.Data,
            }),
        })).WithName("LocalHost.Events").ExcludeFromDescription();

    private static string Status(EventStatus status) => status switch
    {
        EventStatus.Queued => "queued",
        EventStatus.Retrying => "retrying",
        EventStatus.Delivered => "delivered",
        EventStatus.Parked => "parked",
        _ => status.ToString().ToLowerInvariant(),
    };
}
