using System.Collections.Concurrent;
using System.Globalization;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Local.Functions;

namespace Serverless2FA.Local.Timers;

/// <summary>
/// Runs non-HTTP functions, each run in its own DI scope. Runs of one timer function never overlap (scheduled and
/// admin-triggered runs queue behind each other); queue messages run side by side, as the Functions host runs a
/// batch. A failure is logged and reported, never thrown, so one bad run stops neither the schedule, the queue nor
/// the host.
/// </summary>
internal sealed partial class NonHttpFunctionRunner(
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    ILogger<NonHttpFunctionRunner> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Runs <paramref name="function"/> with its trigger's value and completes when the run has finished.</summary>
    /// <param name="trigger">A <see cref="TimerInfo"/> or a <see cref="QueueMessage"/>.</param>
    /// <returns>Whether the run succeeded (false when it failed or was cancelled).</returns>
    public async Task<bool> RunAsync(FunctionDescriptor function, object trigger, CancellationToken cancellationToken)
    {
        var gate = trigger is TimerInfo ? _gates.GetOrAdd(function.Name, _ => new SemaphoreSlim(1, 1)) : null;
        if (gate is not null)
        {
            try
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        try
        {
            LogStarting(function.Name, Describe(trigger));
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                await FunctionInvoker.InvokeTriggeredAsync(function, scope.ServiceProvider, trigger, cancellationToken).ConfigureAwait(false);
            }

            LogSucceeded(function.Name);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCancelled(function.Name);
            return false;
        }
        catch (Exception e)
        {
            LogFailed(e, function.Name);
            return false;
        }
        finally
        {
            gate?.Release();
        }
    }

    /// <summary>Starts a run in the background, cancelled when the host stops (admin endpoint).</summary>
    public void RunInBackground(FunctionDescriptor function, object trigger)
        => _ = Task.Run(() => RunAsync(function, trigger, lifetime.ApplicationStopping));

    private static string Describe(object trigger) => trigger switch
    {
        TimerInfo timer => string.Create(CultureInfo.InvariantCulture, $"past due: {timer.IsPastDue}"),
        QueueMessage message => string.Create(CultureInfo.InvariantCulture, $"message {message.MessageId}, dequeue count {message.DequeueCount}"),
        _ => trigger.GetType().Name,
    };

    [LoggerMessage(LogLevel.Information, "Executing function {FunctionName} ({Trigger})")]
    private partial void LogStarting(string functionName, string trigger);

    [LoggerMessage(LogLevel.Information, "Executed function {FunctionName}")]
    private partial void LogSucceeded(string functionName);

    [LoggerMessage(LogLevel.Warning, "Function {FunctionName} was cancelled because the host is stopping")]
    private partial void LogCancelled(string functionName);

    [LoggerMessage(LogLevel.Error, "Function {FunctionName} failed")]
    private partial void LogFailed(Exception exception, string functionName);
}
