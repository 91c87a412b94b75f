using System.Threading.Channels;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Serverless2FA.Local.Functions;
using Serverless2FA.Local.Timers;

namespace Serverless2FA.IntegrationTests.LocalHost;

public sealed class TimerSchedulerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 5, TimeSpan.Zero);

    [Fact]
    public async Task SixFieldSchedule_FiresOnItsSecondsAndNeverOverlaps()
    {
        var time = new FakeTimeProvider(Start);
        var probe = new TimerProbe(time);
        using var services = Services(time, probe);
        var function = Describe(nameof(SlowTimer), "*/10 * * * * *");
        using var scheduler = new TimerScheduler(
            new FunctionCatalog([function]), services.GetRequiredService<NonHttpFunctionRunner>(), time, NullLogger<TimerScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);

        var first = await AdvanceUntilStartedAsync(time, probe);
        Assert.Equal(At(0, 10), first.StartedAt);
        Assert.False(first.Timer.IsPastDue);
        Assert.Equal(At(0, 20).UtcDateTime, first.Timer.ScheduleStatus!.Next);

        // The first run is still going: occurrences at :20, :30 and :40 must not start a second one.
        for (var i = 0; i < 35; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        Assert.False(probe.Started.Reader.TryRead(out _));
        probe.Finish();
        await probe.Finished.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        var second = await AdvanceUntilStartedAsync(time, probe);
        probe.Finish();
        var third = await AdvanceUntilStartedAsync(time, probe);
        probe.Finish();
        await scheduler.StopAsync(CancellationToken.None);

        Assert.Equal(At(0, 50), second.StartedAt);
        Assert.Equal(At(1, 0), third.StartedAt);
        Assert.Equal(1, probe.MaxConcurrent);
    }

    [Fact]
    public void Schedule_FromAMissingSetting_FailsNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Describe(nameof(SlowTimer), schedule: null));

        Assert.Contains("TestSchedule", error.Message);
    }

    [Fact]
    public void FunctionContextParameter_FailsNamingTheFunction()
    {
        var method = typeof(NeedsContext).GetMethod(nameof(NeedsContext.Run))!;

        var error = Assert.Throws<InvalidOperationException>(
            () => FunctionDiscovery.Describe(method, new ConfigurationBuilder().Build(), ""));

        Assert.Contains("'NeedsContext'", error.Message);
        Assert.Contains("FunctionContext", error.Message);
    }

    private static DateTimeOffset At(int minute, int second) => new(2026, 1, 1, 0, minute, second, TimeSpan.Zero);

    private static FunctionDescriptor Describe(string name, string? schedule)
    {
        var settings = new Dictionary<string, string?>();
        if (schedule is not null)
        {
            settings["TestSchedule"] = schedule;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return FunctionDiscovery.Describe(typeof(SlowTimer).GetMethod(nameof(SlowTimer.Run))!, configuration, "") with { Name = name };
    }

    private static ServiceProvider Services(TimeProvider time, TimerProbe probe) => new ServiceCollection()
        .AddSingleton(time)
        .AddSingleton(probe)
        .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
        .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
        .AddSingleton<IHostApplicationLifetime, ApplicationLifetime>()
        .AddSingleton<NonHttpFunctionRunner>()
        .BuildServiceProvider();

    /// <summary>Moves the fake clock a second at a time (giving the scheduler real time to react) until a run starts.</summary>
    private static async Task<TimerProbe.Run> AdvanceUntilStartedAsync(FakeTimeProvider time, TimerProbe probe)
    {
        for (var i = 0; i < 120; i++)
        {
            await Task.Delay(20);
            if (probe.Started.Reader.TryRead(out var run))
            {
                return run;
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException("The timer function did not start within two fake minutes.");
    }

    public sealed class SlowTimer(TimerProbe probe)
    {
        [Function(nameof(SlowTimer))]
        public Task Run([TimerTrigger("%TestSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
            => probe.RunAsync(timer, cancellationToken);
    }

    public sealed class NeedsContext
    {
        [Function(nameof(NeedsContext))]
        public void Run([TimerTrigger("0 * * * * *")] TimerInfo timer, FunctionContext context)
        {
        }
    }

    /// <summary>A timer function body that records when it started and runs until the test finishes it.</summary>
    public sealed class TimerProbe(TimeProvider time)
    {
        private readonly SemaphoreSlim _finish = new(0);
        private int _running;

        public sealed record Run(DateTimeOffset StartedAt, TimerInfo Timer);

        public Channel<Run> Started { get; } = Channel.CreateUnbounded<Run>();

        public Channel<bool> Finished { get; } = Channel.CreateUnbounded<bool>();

        public int MaxConcurrent { get; private set; }

        public void Finish() => _finish.Release();

        public async Task RunAsync(TimerInfo timer, CancellationToken cancellationToken)
        {
            var running = Interlocked.Increment(ref _running);
            MaxConcurrent = Math.Max(MaxConcurrent, running);
            Started.Writer.TryWrite(new Run(time.GetUtcNow(), timer));
            try
            {
                await _finish.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
                Finished.Writer.TryWrite(true);
            }
        }
    }
}
