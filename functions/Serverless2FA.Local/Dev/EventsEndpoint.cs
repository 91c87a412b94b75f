using Microsoft.Extensions.Options;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Local.Dev;

/// <summary>
/// <c>GET dev/events</c>: the events this service tried to deliver to <c>Events:WebhookUrl</c>, with where each stands,
/// so a newcomer sees them without a receiver. Read from the outbox rows themselves (pending, retrying, delivered,
/// parked), and from this process's log for what has no row (a row the sweep removed after delivery, or an event
/// queued by hand). Local host only.
/// </summary>
internal static class EventsEndpoint
{
    public const int Max = DevEventLog.Capacity;

    public static void MapEventsEndpoint(this IEndpointRouteBuilder endpoints)
        => endpoints.MapGet("dev/events", async (OutboxRows outbox, DevEventLog log, IOptionsMonitor<EventsOptions> options, CancellationToken cancellationToken) =>
        {
            var rows = await outbox.ListAsync(Max, cancellationToken).ConfigureAwait(false);
            var stored = rows.Select(r => r.Event.Id).ToHashSet(StringComparer.Ordinal);
            var logged = log.List().Where(p => !stored.Contains(p.Event.Id))
                .Select(p => new OutboxEvent(p.Event with { Attempt = p.Attempts }, Status(p.Status), p.LastStatusCode, p.Detail, p.At, p.NextTryAt));
            return Results.Json(new
            {
                webhookUrl = options.CurrentValue.WebhookUrl,
                note = options.CurrentValue.Enabled ? null : "Events:WebhookUrl is not set, so no events are sent.",
                events = rows.Concat(logged).OrderByDescending(e => e.UpdatedAt).ThenByDescending(e => e.Event.Timestamp).Take(Max).Select(e => new
                {
                    id = e.Event.Id,
                    type = e.Event.Type,
                    timestamp = e.Event.Timestamp.UtcDateTime,
                    status = e.Status,
                    attempts = e.Event.Attempt,
                    lastStatusCode = e.LastStatusCode,
                    detail = e.Detail,
                    updatedAt = e.UpdatedAt.UtcDateTime,
                    nextTryAt = e.NextTryAt?.UtcDateTime,
                    data = e.Event.Data,
                }),
            });
        }).WithName("LocalHost.Events").ExcludeFromDescription();

    private static string Status(EventStatus status) => status switch
    {
        EventStatus.Queued => "queued",
        EventStatus.Retrying => "retrying",
        EventStatus.Delivered => "delivered",
        EventStatus.Parked => "parked",
        _ => status.ToString().ToLowerInvariant(),
    };
}
