using Serverless2FA.Core.Sms;

namespace Serverless2FA.Local.Dev;

/// <summary><c>GET dev/outbox?to=+1…</c>: the texts "sent" in outbox mode. Local host only.</summary>
internal static class OutboxEndpoint
{
    /// <summary>Maps the endpoint when an <see cref="IOutbox"/> is registered (outbox mode); otherwise does nothing.</summary>
    public static void MapOutboxEndpoint(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(IOutbox)) != true)
        {
            return;
        }

        endpoints.MapGet("dev/outbox", async (HttpRequest request, IOutbox outbox, CancellationToken cancellationToken) =>
        {
            var messages = await outbox.ListAsync(PhoneFromQuery(request.Query["to"]), cancellationToken).ConfigureAwait(false);
            return Results.Json(messages);
        }).WithName("LocalHost.Outbox").ExcludeFromDescription();
    }

    // An unescaped "+1555…" in a query string arrives as " 1555…": put the plus back.
    internal static string? PhoneFromQuery(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var trimmed = raw.Trim();
        return raw.StartsWith(' ') && char.IsAsciiDigit(trimmed[0]) ? "+" + trimmed : trimmed;
    }
}
