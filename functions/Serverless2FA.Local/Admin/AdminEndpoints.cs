using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Local.Functions;
using Serverless2FA.Local.Http;
using Serverless2FA.Local.Timers;

namespace Serverless2FA.Local.Admin;

/// <summary>
/// <c>POST admin/functions/{name}</c>: runs a non-HTTP function now and answers 202, as Azure Functions
/// Core Tools does. Local host only; the Functions app never has it.
/// </summary>
internal static class AdminEndpoints
{
    public static void MapAdminEndpoints(this IEndpointRouteBuilder endpoints)
        => endpoints.MapPost("admin/functions/{name}", (string name, FunctionCatalog catalog, NonHttpFunctionRunner runner, TimeProvider time) =>
        {
            var function = catalog.Find(name);
            if (function is null)
            {
                return HostProblems.NotFound($"There is no function named '{name}'.");
            }

            if (function.Trigger is not TimerTriggerInfo timer)
            {
                return HostProblems.BadRequest($"'{function.Name}' is an HTTP function; call its route instead.");
            }

            var now = time.GetUtcNow().UtcDateTime;
            runner.RunInBackground(function, new TimerInfo
            {
                IsPastDue = false,
                ScheduleStatus = new ScheduleStatus
                {
                    Last = DateTime.MinValue,
                    Next = DateTime.SpecifyKind(timer.Cron.GetNextOccurrence(now), DateTimeKind.Utc),
                    LastUpdated = now,
                },
            });
            return Results.Accepted();
        }).WithName("LocalHost.RunFunction").ExcludeFromDescription();
}
