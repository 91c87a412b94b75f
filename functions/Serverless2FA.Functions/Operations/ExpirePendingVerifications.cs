using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Serverless2FA.Core.Expiry;

namespace Serverless2FA.Functions.Operations;

/// <summary>
/// The expiry timer: expires whatever was started and not finished (links, enrollments, and every other
/// kind with a registered <see cref="IExpiryHandler"/>) and removes records past their retention.
/// </summary>
public sealed partial class ExpirePendingVerifications(ExpirySweep sweep, ILogger<ExpirePendingVerifications> logger)
{
    [Function(nameof(ExpirePendingVerifications))]
    public async Task Run([TimerTrigger("%ExpirySchedule%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var report = await sweep.RunAsync(cancellationToken).ConfigureAwait(false);
        LogSwept(
            report.Expired,
            report.ByKind(),
            report.Gone,
            report.NotDue,
            report.UnknownKind,
            report.Failed,
            report.PagesRead,
            report.IndexRowsDeleted,
            report.DayTablesDropped,
            report.Cursor,
            (long)report.Elapsed.TotalMilliseconds,
            report.StoppedOnBudget,
            timer.IsPastDue);
    }

    // One line per run, every figure its own field, so Application Insights can chart and alert on each.
    [LoggerMessage(
        LogLevel.Information,
        "Expiry sweep: {Expired} expired ({ByKind}); {Gone} already gone, {NotDue} not due, {UnknownKind} of unknown kinds kept, {Failed} failed; "
        + "{PagesRead} pages read, {IndexRowsDeleted} index rows deleted, {DayTablesDropped} day tables dropped, swept through {Cursor} in {ElapsedMs} ms; stopped on budget: {StoppedOnBudget}; past due: {PastDue}")]
    private partial void LogSwept(
        int expired,
        string byKind,
        int gone,
        int notDue,
        int unknownKind,
        int failed,
        int pagesRead,
        int indexRowsDeleted,
        int dayTablesDropped,
        string? cursor,
        long elapsedMs,
        bool stoppedOnBudget,
        bool pastDue);
}
