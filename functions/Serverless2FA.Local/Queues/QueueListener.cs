using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Serverless2FA.Local.Functions;
using Serverless2FA.Local.Timers;

namespace Serverless2FA.Local.Queues;

/// <summary>
/// Runs every queue-triggered function as the Functions host does: polls its queue (again at once while messages
/// come, else after a wait that doubles from 100 ms up to host.json's <c>maxPollingInterval</c>), takes up to
/// <c>batchSize</c> messages, invisible to other readers while they run, and runs them side by side. A message whose
/// run succeeded is deleted; one that failed is made visible again after <c>visibilityTimeout</c>, and after
/// <c>maxDequeueCount</c> tries it is moved to <c>&lt;queue&gt;-poison</c> with a warning. A storage fault while
/// polling is logged and polled again after the wait; nothing is lost, since an unfinished message reappears by itself.
/// </summary>
internal sealed partial class QueueListener(
    FunctionCatalog catalog,
    NonHttpFunctionRunner runner,
    QueueConnections connections,
    QueueHostOptions options,
    TimeProvider time,
    ILogger<QueueListener> logger) : BackgroundService
{
    /// <summary>Messages never expire in a poison queue: a parked message waits for someone to look at it.</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(catalog.Queues.Select(f => Task.Run(() => ListenAsync(f, stoppingToken), stoppingToken)));

    /// <summary>Polls the function's queue until <paramref name="stoppingToken"/> fires.</summary>
    internal async Task ListenAsync(FunctionDescriptor function, CancellationToken stoppingToken)
    {
        var trigger = (QueueTriggerInfo)function.Trigger;
        var service = connections.For(trigger.Connection);
        var queue = service.GetQueueClient(trigger.Queue);
        var poison = service.GetQueueClient(trigger.Queue + "-poison");
        var wait = QueueHostOptions.MinPollingInterval;
        var created = false;
        LogListening(function.Name, trigger.Queue);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                QueueMessage[] messages = [];
                try
                {
                    if (!created)
                    {
                        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                        created = true;
                    }

                    messages = (await queue.ReceiveMessagesAsync(options.BatchSize, options.ProcessingVisibility, stoppingToken).ConfigureAwait(false)).Value;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogPollFailed(e, trigger.Queue, wait);
                }

                if (messages.Length == 0)
                {
                    await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
                    wait = Min(wait * 2, options.MaxPollingInterval);
                    continue;
                }

                wait = QueueHostOptions.MinPollingInterval;
                await Task.WhenAll(messages.Select(m => ProcessAsync(function, queue, poison, m, stoppingToken))).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; messages being run reappear after their visibility timeout.
        }
    }

    private async Task ProcessAsync(FunctionDescriptor function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            // A message the host took before and never finished with (it stopped mid-run) may be past the limit already.
            if (message.DequeueCount > options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, message).ConfigureAwait(false);
                return;
            }

            var succeeded = await runner.RunAsync(function, message, stoppingToken).ConfigureAwait(false);
            if (stoppingToken.IsCancellationRequested && !succeeded)
            {
                return;
            }

            if (succeeded)
            {
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None).ConfigureAwait(false);
            }
            else if (message.DequeueCount >= options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, message).ConfigureAwait(false);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: options.VisibilityTimeout, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // Storage failed between the run and its bookkeeping: the message reappears after its processing visibility.
            LogSettleFailed(e, message.MessageId, queue.Name);
        }
    }

    private async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message)
    {
        LogPoisoned(message.MessageId, options.MaxDequeueCount, poison.Name);
        await poison.CreateIfNotExistsAsync().ConfigureAwait(false);
        await poison.SendMessageAsync(message.Body, visibilityTimeout: null, timeToLive: NeverExpires).ConfigureAwait(false);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt).ConfigureAwait(false);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(LogLevel.Information, "Function {FunctionName} listens to queue {Queue}")]
    private partial void LogListening(string functionName, string queue);

    [LoggerMessage(LogLevel.Warning, "Polling queue {Queue} failed; polling again in {Wait}")]
    private partial void LogPollFailed(Exception exception, string queue, TimeSpan wait);

    [LoggerMessage(LogLevel.Warning, "Message {MessageId} has reached MaxDequeueCount of {MaxDequeueCount}; moving it to queue {PoisonQueue}")]
    private partial void LogPoisoned(string messageId, int maxDequeueCount, string poisonQueue);

    [LoggerMessage(LogLevel.Warning, "Could not delete, release or park message {MessageId} of queue {Queue}; it reappears after its visibility timeout")]
    private partial void LogSettleFailed(Exception exception, string messageId, string queue);
}
