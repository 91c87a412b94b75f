using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Local.Functions;

namespace Serverless2FA.Local.Timers;

/// <summary>
/// Runs every timer-triggered function on its CRON schedule, waiting on the injected
/// <see cref="TimeProvider"/>. Runs of one function never overlap: the next occurrence is computed
/// after a run ends, so occurrences missed during a long run are skipped, as the Functions host does.
/// </summary>
internal sealed partial class TimerScheduler(
    FunctionCatalog catalog,
    NonHttpFunctionRunner runner,
    TimeProvider time,
    ILogger<TimerScheduler> logger) : BackgroundService
{
    /// <summary>How late a run may start before <see cref="TimerInfo.IsPastDue"/> says so.</summary>
    internal static readonly TimeSpan PastDueTolerance = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(catalog.Timers.Select(f => Task.Run(() => RunScheduleAsync(f, stoppingToken), stoppingToken)));

    private async Task RunScheduleAsync(FunctionDescriptor function, CancellationToken stoppingToken)
    {
        var trigger = (TimerTriggerInfo)function.Trigger;
        DateTime? last = null;
        try
        {
            if (trigger.RunOnStartup)
            {
                var now = time.GetUtcNow().UtcDateTime;
                await runner.RunAsync(function, Info(last, trigger.Cron.GetNextOccurrence(now), now, pastDue: false), stoppingToken).ConfigureAwait(false);
                last = now;
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                var now = time.GetUtcNow();
                var due = DateTime.SpecifyKind(trigger.Cron.GetNextOccurrence(now.UtcDateTime), DateTimeKind.Utc);
                LogNext(function.Name, due);
                await Task.Delay(due - now.UtcDateTime, time, stoppingToken).ConfigureAwait(false);

                var fired = time.GetUtcNow().UtcDateTime;
                var info = Info(last, trigger.Cron.GetNextOccurrence(due), fired, pastDue: fired - due > PastDueTolerance);
                await runner.RunAsync(function, info, stoppingToken).ConfigureAwait(false);
                last = due;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private static TimerInfo Info(DateTime? last, DateTime next, DateTime now, bool pastDue) => new()
    {
        IsPastDue = pastDue,
        ScheduleStatus = new ScheduleStatus
        {
            Last = last ?? DateTime.MinValue,
            Next = DateTime.SpecifyKind(next, DateTimeKind.Utc),
            LastUpdated = now,
        },
    };

    [LoggerMessage(LogLevel.Debug, "Function {FunctionName} next runs at {Due:o}")]
    private partial void LogNext(string functionName, DateTime due);
}
