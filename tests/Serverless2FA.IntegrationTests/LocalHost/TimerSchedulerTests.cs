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
        var clock = new FakeTimeProvider(Start);
        var time = new WatchedTimeProvider(clock);
        var probe = new TimerProbe(time);
        using var services = Services(time, probe);
        var function = Describe(nameof(SlowTimer), "*/10 * * * * *");
        using var scheduler = new TimerScheduler(
            new FunctionCatalog([function]), services.GetRequiredService<NonHttpFunctionRunner>(), time, NullLogger<TimerScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);

        await time.TimerCreated();
        clock.Advance(TimeSpan.FromSeconds(5));
        var first = await probe.NextStart();
        Assert.Equal(At(0, 10), first.StartedAt);
        Assert.False(first.Timer.IsPastDue);
        Assert.Equal(At(0, 20).UtcDateTime, first.Timer.ScheduleStatus!.Next);

        // The first run is still going at :20, :30 and :40: no second run may start.
        clock.Advance(TimeSpan.FromSeconds(35));
        await Task.Delay(200);
        Assert.False(probe.Started.Reader.TryRead(out _));

        probe.Finish();
        await time.TimerCreated();
        clock.Advance(TimeSpan.FromSeconds(5));
        var second = await probe.NextStart();
        probe.Finish();
        await time.TimerCreated();
        clock.Advance(TimeSpan.FromSeconds(10));
        var third = await probe.NextStart();
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

    /// <summary>A <see cref="FakeTimeProvider"/> that says when the scheduler starts waiting, so the test advances only then.</summary>
    private sealed class WatchedTimeProvider(FakeTimeProvider clock) : TimeProvider
    {
        private readonly SemaphoreSlim _created = new(0);

        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = clock.CreateTimer(callback, state, dueTime, period);
            _created.Release();
            return timer;
        }

        public async Task TimerCreated()
        {
            if (!await _created.WaitAsync(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("The scheduler did not start waiting for its next occurrence.");
            }
        }
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

        public Task<Run> NextStart() => Started.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

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
