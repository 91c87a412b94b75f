using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;
using Serverless2FA.IntegrationTests.Fakes;
using Serverless2FA.Local.Azurite;
using Serverless2FA.Local.Functions;
using Serverless2FA.Local.Queues;
using Serverless2FA.Local.Timers;

namespace Serverless2FA.IntegrationTests.LocalHost;

/// <summary>
/// The local host's queue trigger against Azurite's real queue service: it polls, hides a message while it runs,
/// shows a failed one again after visibilityTimeout, counts dequeues and moves a message to &lt;queue&gt;-poison after
/// maxDequeueCount failed runs — as the Functions host does.
/// </summary>
public sealed class QueueListenerTests : IAsyncLifetime
{
    private static readonly QueueHostOptions Options = new()
    {
        MaxPollingInterval = TimeSpan.FromMilliseconds(400),
        VisibilityTimeout = TimeSpan.FromSeconds(2),
        MaxDequeueCount = 3,
        BatchSize = 4,
    };

    private readonly string _queue = "q" + Guid.NewGuid().ToString("N")[..12];
    private AzuriteInstance _azurite = null!;

    public async Task InitializeAsync()
        => _azurite = await new AzuriteLauncher().StartAsync(new AzuriteLaunchOptions { Port = 0, InMemory = true, AccessLog = false });

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task FailingMessage_IsTriedMaxDequeueCountTimes_NotBeforeItsVisibilityTimeout_ThenMovedToPoison()
    {
        var probe = new QueueProbe(failures: int.MaxValue);
        await using var run = await ListenAsync(probe);

        await run.Queue.SendMessageAsync("always fails");
        var poisoned = await WaitForAsync(async () => (await run.Poison.PeekMessagesAsync(5)).Value, m => m.Length == 1, "the poison queue");

        Assert.Equal("always fails", poisoned[0].MessageText);
        Assert.Equal([1L, 2L, 3L], probe.Runs.Select(r => r.DequeueCount));
        // Each retry came only after the failed run's message was hidden for visibilityTimeout.
        Assert.All(probe.Runs.Zip(probe.Runs.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= Options.VisibilityTimeout - TimeSpan.FromMilliseconds(200)));
        Assert.Empty((await run.Queue.PeekMessagesAsync(5)).Value);
        Assert.Contains(run.Logs.Lines, l => l.Contains("MaxDequeueCount of 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MessageFailingOnce_SucceedsOnItsSecondDequeue_AndIsDeleted()
    {
        var probe = new QueueProbe(failures: 1);
        await using var run = await ListenAsync(probe);

        await run.Queue.SendMessageAsync("fails once");
        await WaitForAsync(() => Task.FromResult(probe.Succeeded), s => s.Count == 1, "the second run");

        Assert.Equal([1L, 2L], probe.Runs.Select(r => r.DequeueCount));
        Assert.Equal("fails once", probe.Succeeded.Single());
        await WaitForAsync(async () => (await run.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount, n => n == 0, "the message to be deleted");
        Assert.Empty((await run.Poison.PeekMessagesAsync(5)).Value);
    }

    [Fact]
    public async Task IdleQueue_IsPolled_SoALateMessageIsPickedUp_AndABatchRunsSideBySide()
    {
        var probe = new QueueProbe(failures: 0, hold: TimeSpan.FromMilliseconds(500));
        await using var run = await ListenAsync(probe);
        // Idle long enough for the polling wait to grow to its maximum.
        await Task.Delay(Options.MaxPollingInterval * 4);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => run.Queue.SendMessageAsync($"late {i}")));
        await WaitForAsync(() => Task.FromResult(probe.Succeeded), s => s.Count == 4, "four late messages");

        Assert.True(probe.MaxConcurrent > 1, $"Messages of one batch ran one at a time (max {probe.MaxConcurrent}).");
    }

    [Fact]
    public void HostJsonQueues_AreRead_AndSettingsOverrideThem()
    {
        var folder = Directory.CreateTempSubdirectory("s2fa-hostjson").FullName;
        File.WriteAllText(Path.Combine(folder, "host.json"), """{ "extensions": { "queues": { "maxPollingInterval": "00:00:02", "visibilityTimeout": "00:00:30", "maxDequeueCount": 5 } } }""");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "2",
        }).Build();

        var options = QueueHostOptions.Read(folder, configuration);

        Assert.Equal(TimeSpan.FromSeconds(2), options.MaxPollingInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.VisibilityTimeout);
        Assert.Equal(2, options.MaxDequeueCount);
        Assert.Equal(16, options.BatchSize);
        Directory.Delete(folder, recursive: true);
    }

    private async Task<ListenerRun> ListenAsync(QueueProbe probe)
    {
        var logs = new CapturingLoggerProvider();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TestQueue"] = _queue,
            ["Storage:ConnectionString"] = _azurite.ConnectionString,
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton(probe)
            .AddLogging(l => l.AddProvider(logs))
            .AddSingleton<IHostApplicationLifetime, ApplicationLifetime>()
            .AddSingleton<NonHttpFunctionRunner>()
            .BuildServiceProvider();
        var function = FunctionDiscovery.Describe(typeof(QueueFunction).GetMethod(nameof(QueueFunction.Run))!, configuration, "");
        var connections = new QueueConnections(configuration, Microsoft.Extensions.Options.Options.Create(new StorageOptions { RequestBudget = TimeSpan.FromSeconds(5) }), Options);
        var listener = new QueueListener(
            new FunctionCatalog([function]), services.GetRequiredService<NonHttpFunctionRunner>(), connections, Options, TimeProvider.System, services.GetRequiredService<ILogger<QueueListener>>());
        await listener.StartAsync(default);
        var service = connections.For("Storage");
        var queue = service.GetQueueClient(_queue);
        var poison = service.GetQueueClient(_queue + "-poison");
        await queue.CreateIfNotExistsAsync();
        await poison.CreateIfNotExistsAsync();
        return new ListenerRun(listener, services, queue, poison, logs);
    }

    private static Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
        => Infrastructure.Poll.UntilAsync(read, done, TimeSpan.FromSeconds(60), _ => $"Timed out waiting for {what}.");

    private sealed record ListenerRun(QueueListener Listener, ServiceProvider Services, QueueClient Queue, QueueClient Poison, CapturingLoggerProvider Logs) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Listener.StopAsync(default);
            Listener.Dispose();
            await Services.DisposeAsync();
        }
    }

    public sealed class QueueFunction(QueueProbe probe)
    {
        [Function("TestQueueFunction")]
        public Task Run([QueueTrigger("%TestQueue%", Connection = "Storage")] QueueMessage message) => probe.RunAsync(message);
    }

    /// <summary>Fails the first <c>failures</c> runs of each message; records every run.</summary>
    public sealed class QueueProbe(int failures, TimeSpan hold = default)
    {
        private readonly ConcurrentDictionary<string, int> _failed = new();
        private readonly ConcurrentQueue<(long DequeueCount, DateTimeOffset At)> _runs = new();
        private readonly ConcurrentQueue<string> _succeeded = new();
        private int _running;

        public IReadOnlyList<(long DequeueCount, DateTimeOffset At)> Runs => [.. _runs];

        public IReadOnlyList<string> Succeeded => [.. _succeeded];

        public int MaxConcurrent { get; private set; }

        public async Task RunAsync(QueueMessage message)
        {
            _runs.Enqueue((message.DequeueCount, DateTimeOffset.UtcNow));
            var running = Interlocked.Increment(ref _running);
            MaxConcurrent = Math.Max(MaxConcurrent, running);
            try
            {
                await Task.Delay(hold);
                if (_failed.AddOrUpdate(message.MessageId, 1, (_, n) => n + 1) <= failures)
                {
                    throw new InvalidOperationException("planned failure");
                }

                _succeeded.Enqueue(message.MessageText);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }
}
