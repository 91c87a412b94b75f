using System.Collections.Concurrent;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Local.Functions;

namespace Serverless2FA.Local.Timers;

/// <summary>
/// Runs non-HTTP functions, one run of a given function at a time (scheduled and admin-triggered runs
/// queue behind each other), each in its own DI scope. A failure is logged, never thrown, so one bad
/// run does not stop the schedule or the host.
/// </summary>
internal sealed partial class NonHttpFunctionRunner(
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    ILogger<NonHttpFunctionRunner> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Runs <paramref name="function"/> and completes when the run has finished (or failed).</summary>
    public async Task RunAsync(FunctionDescriptor function, TimerInfo timer, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(function.Name, _ => new SemaphoreSlim(1, 1));
        try
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            LogStarting(function.Name, timer.IsPastDue);
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                await FunctionInvoker.InvokeTimerAsync(function, scope.ServiceProvider, timer, cancellationToken).ConfigureAwait(false);
            }

            LogSucceeded(function.Name);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCancelled(function.Name);
        }
        catch (Exception e)
        {
            LogFailed(e, function.Name);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Starts a run in the background, cancelled when the host stops (admin endpoint).</summary>
    public void RunInBackground(FunctionDescriptor function, TimerInfo timer)
        => _ = Task.Run(() => RunAsync(function, timer, lifetime.ApplicationStopping));

    [LoggerMessage(LogLevel.Information, "Executing function {FunctionName} (past due: {IsPastDue})")]
    private partial void LogStarting(string functionName, bool isPastDue);

    [LoggerMessage(LogLevel.Information, "Executed function {FunctionName}")]
    private partial void LogSucceeded(string functionName);

    [LoggerMessage(LogLevel.Warning, "Function {FunctionName} was cancelled because the host is stopping")]
    private partial void LogCancelled(string functionName);

    [LoggerMessage(LogLevel.Error, "Function {FunctionName} failed")]
    private partial void LogFailed(Exception exception, string functionName);
}
