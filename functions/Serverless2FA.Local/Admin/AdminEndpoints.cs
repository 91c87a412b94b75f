using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Local.Functions;
using Serverless2FA.Local.Http;
using Serverless2FA.Local.Timers;

namespace Serverless2FA.Local.Admin;

/// <summary>
/// <c>POST admin/functions/{name}</c>: runs a non-HTTP function now and answers 202, as Azure Functions Core Tools
/// does. A queue function gets the body's <c>input</c> (<c>{"input": "…"}</c>) as its message, without the queue.
/// Local host only; the Functions app never has it.
/// </summary>
internal static class AdminEndpoints
{
    public static void MapAdminEndpoints(this IEndpointRouteBuilder endpoints)
        => endpoints.MapPost("admin/functions/{name}", async (string name, HttpRequest request, FunctionCatalog catalog, NonHttpFunctionRunner runner, TimeProvider time) =>
        {
            var function = catalog.Find(name);
            if (function is null)
            {
                return HostProblems.NotFound($"There is no function named '{name}'.");
            }

            var now = time.GetUtcNow();
            switch (function.Trigger)
            {
                case TimerTriggerInfo timer:
                    runner.RunInBackground(function, new TimerInfo
                    {
                        IsPastDue = false,
                        ScheduleStatus = new ScheduleStatus
                        {
                            Last = DateTime.MinValue,
                            Next = DateTime.SpecifyKind(timer.Cron.GetNextOccurrence(now.UtcDateTime), DateTimeKind.Utc),
                            LastUpdated = now.UtcDateTime,
                        },
                    });
                    return Results.Accepted();
                case QueueTriggerInfo:
                    var input = await InputAsync(request).ConfigureAwait(false);
                    if (input is null)
                    {
                        return HostProblems.BadRequest($"'{function.Name}' is a queue function: send {{\"input\": \"<message text>\"}}.");
                    }

                    runner.RunInBackground(function, QueuesModelFactory.QueueMessage(
                        messageId: Guid.NewGuid().ToString(),
                        popReceipt: string.Create(CultureInfo.InvariantCulture, $"admin-{now.ToUnixTimeMilliseconds()}"),
                        messageText: input,
                        dequeueCount: 1,
                        insertedOn: now));
                    return Results.Accepted();
                default:
                    return HostProblems.BadRequest($"'{function.Name}' is an HTTP function; call its route instead.");
            }
        }).WithName("LocalHost.RunFunction").ExcludeFromDescription();

    /// <summary>The <c>input</c> string of a JSON body; null when there is none.</summary>
    private static async Task<string?> InputAsync(HttpRequest request)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("input", out var input)
                && input.ValueKind == JsonValueKind.String
                    ? input.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
