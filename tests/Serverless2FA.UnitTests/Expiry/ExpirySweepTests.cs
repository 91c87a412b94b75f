using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.Options;

namespace Serverless2FA.UnitTests.Expiry;

public sealed class ExpirySweepTests
{
    // The last minutes of a month, so runs cross minute, hour, day and month edges.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 3, 31, 23, 50, 0, TimeSpan.Zero));
    private readonly InMemoryExpiryIndexStore _store = new();
    private readonly ExpiryOptions _options = new() { Parallelism = 1 };

    private ExpirySweep Sweep(params IExpiryHandler[] handlers)
        => new(_store, handlers, _clock, Microsoft.Extensions.Options.Options.Create(_options), NullLogger<ExpirySweep>.Instance);

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public async Task Entry_DueExactlyNow_IsExpired()
    {
        var link = new RecordingHandler(ExpiryKinds.Link);
        _store.Add(ExpiryKinds.Link, "a", Now.AddMinutes(3));
        _clock.Advance(TimeSpan.FromMinutes(3));

        var report = await Sweep(link).RunAsync(default);

        Assert.Equal(["a"], link.Targets);
        Assert.Equal(1, report.ExpiredOf(ExpiryKinds.Link));
        Assert.Equal(1, report.IndexRowsDeleted);
        Assert.Empty(_store.Rows);
    }

    [Fact]
    public async Task Entry_DueJustAfterNow_IsLeftForTheNextRun()
    {
        var link = new RecordingHandler(ExpiryKinds.Link);
        _store.Add(ExpiryKinds.Link, "a", Now.AddTicks(1));

        var first = await Sweep(link).RunAsync(default);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = await Sweep(link).RunAsync(default);

        Assert.Equal(1, first.NotYetDue);
        Assert.Equal(0, first.Expired);
        Assert.Equal(1, second.Expired);
        Assert.Equal(["a"], link.Targets);
    }

    [Fact]
    public async Task Entries_WithLifetimesShorterThanTheSchedule_ExpireAtTheNextRun()
    {
        var link = new RecordingHandler(ExpiryKinds.Link);
        // Runs every minute, at :00. One run at 23:50:00; then a 20-second thing at 23:50:10 and a
        // 0.4-second thing written at 23:50:59.5 into the minute the first run already read.
        await Sweep(link).RunAsync(default);
        _clock.Advance(TimeSpan.FromSeconds(10));
        _store.Add(ExpiryKinds.Link, "twenty-seconds", Now.AddSeconds(20));
        _clock.Advance(TimeSpan.FromSeconds(49.5));
        _store.Add(ExpiryKinds.Link, "blink", Now.AddSeconds(0.4));
        _clock.Advance(TimeSpan.FromSeconds(0.5));

        var report = await Sweep(link).RunAsync(default);

        Assert.Equal(2, report.Expired);
        Assert.Equal(["blink", "twenty-seconds"], link.Targets.Order());
    }

    [Fact]
    public async Task FirstRun_ReadsBackOnlyMaxLookBack_AndStoresTheCursor()
    {
        var link = new RecordingHandler(ExpiryKinds.Link);
        _options.MaxLookBack = TimeSpan.FromHours(1);
        _store.Add(ExpiryKinds.Link, "too-old", Now.AddMinutes(-61));
        _store.Add(ExpiryKinds.Link, "recent", Now.AddMinutes(-59));

        var report = await Sweep(link).RunAsync(default);

        Assert.Equal(["recent"], link.Targets);
        Assert.Equal(("202503312250", "202503312350"), Assert.Single(_store.Reads));
        Assert.Equal(ExpiryBuckets.SettledThrough(Now), _store.Cursor);
        Assert.Equal(_store.Cursor, report.Cursor);
        Assert.Equal("too-old", Assert.Single(_store.Rows).TargetPartitionKey);
    }

    [Fact]
    public async Task FirstRun_DropsThePassedDaysOfItsLookBack_ThatHaveATable_AskingNothingForTheOthers()
    {
        var link = new RecordingHandler(ExpiryKinds.Link);
        _store.Add(ExpiryKinds.Link, "from-before-deployment", Now.AddDays(-4));

        var report = await Sweep(link).RunAsync(default);

        Assert.Equal(["from-before-deployment"], link.Targets);
        Assert.Equal(["20250327"], _store.DropRequests);
        Assert.Equal(1, report.DayTablesDropped);
        Assert.Empty(_store.Rows);
    }

    [Fact]
    public async Task LaterRuns_ReadFromTheCursor_OneRangePerRun()
    {
        var link = new RecordingHandler(ExpiryKinds.Link);
        await Sweep(link).RunAsync(default);
        var cursor = _store.Cursor!;
        _clock.Advance(TimeSpan.FromMinutes(1));

        await Sweep(link).RunAsync(default);

        Assert.Equal((cursor, "202503312351"), _store.Reads[^1]);
        Assert.Equal(ExpiryBuckets.Next(cursor), _store.Cursor);
    }

    [Fact]
    public async Task Cursor_NeverPassesARowOfAnUnknownKind_SoItIsHandledOnceItsHandlerExists()
    {
        var link = new RecordingHandler(ExpiryKinds.Link);
        var joinCode = _store.Add("join-code", "j", Now.AddMinutes(1));
        _store.Add(ExpiryKinds.Link, "l", Now.AddMinutes(2));
        _clock.Advance(TimeSpan.FromMinutes(30));

        var before = await Sweep(link).RunAsync(default);

        Assert.Equal(1, before.UnknownKind);
        Assert.Equal(1, before.Expired);
        Assert.Equal(joinCode.RowKey, Assert.Single(_store.Rows).RowKey);
        Assert.Equal(ExpiryBuckets.Previous(joinCode.PartitionKey), _store.Cursor);
        // Its day has ended and settled, but the row it keeps holds the day's table too.
        Assert.Empty(_store.Dropped);

        var handler = new RecordingHandler("join-code");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var after = await Sweep(link, handler).RunAsync(default);

        Assert.Equal(["j"], handler.Targets);
        Assert.Empty(_store.Rows);
        Assert.Equal(ExpiryBuckets.SettledThrough(Now), _store.Cursor);
        Assert.Equal(0, after.UnknownKind);
        Assert.Equal(["20250331"], _store.Dropped);
    }

    [Fact]
    public async Task Cursor_HoldsBeforeAFailedEntry_WhichTheNextRunRetries()
    {
        var fail = true;
        var link = new RecordingHandler(ExpiryKinds.Link, e => fail && e.TargetPartitionKey == "b" ? throw new InvalidOperationException("storage down") : ExpiryOutcome.Expired);
        _store.Add(ExpiryKinds.Link, "a", Now.AddMinutes(1));
        var b = _store.Add(ExpiryKinds.Link, "b", Now.AddMinutes(2));
        _clock.Advance(TimeSpan.FromMinutes(20));

        var first = await Sweep(link).RunAsync(default);
        fail = false;
        var second = await Sweep(link).RunAsync(default);

        Assert.Equal((1, 1), (first.Expired, first.Failed));
        Assert.Equal(ExpiryBuckets.Previous(b.PartitionKey), first.Cursor);
        Assert.Equal((1, 0), (second.Expired, second.Failed));
        Assert.Empty(_store.Rows);
    }

    [Fact]
    public async Task Cursor_NeverMovesBack()
    {
        _store.SetCursor("203001010000");

        var report = await Sweep().RunAsync(default);

        Assert.Equal("203001010000", _store.Cursor);
        Assert.Equal(0, _store.CursorWrites);
        Assert.Empty(_store.Reads);
        Assert.Equal("203001010000", report.Cursor);
    }

    [Fact]
    public async Task Cursor_StaysBehindMinutesThatMayStillReceiveRows()
    {
        await Sweep().RunAsync(default);

        Assert.Equal("202503312344", _store.Cursor);
    }

    [Fact]
    public async Task Budget_StopsTheRun_AndTheNextRunFinishes()
    {
        _options.TimeBudget = TimeSpan.FromSeconds(5);
        var link = new RecordingHandler(ExpiryKinds.Link, onCall: () => _clock.Advance(TimeSpan.FromSeconds(1)));
        var start = Now;
        for (var i = 0; i < 10; i++)
        {
            _store.Add(ExpiryKinds.Link, "l" + i, Now.AddMinutes(i));
        }

        _clock.Advance(TimeSpan.FromMinutes(30));
        var first = await Sweep(link).RunAsync(default);

        Assert.True(first.StoppedOnBudget);
        Assert.Equal(5, first.Expired);
        Assert.True(first.Elapsed <= TimeSpan.FromSeconds(5));
        // Just before the first entry not handled; its day is not dropped while part of it is unread.
        Assert.Equal(ExpiryBuckets.Previous(ExpiryBuckets.Of(start.AddMinutes(5))), _store.Cursor);
        Assert.Empty(_store.Dropped);

        var second = await Sweep(link).RunAsync(default);

        Assert.False(second.StoppedOnBudget);
        Assert.Equal(5, second.Expired);
        Assert.Equal(10, link.Targets.Distinct().Count());
        Assert.Empty(_store.Rows);
        Assert.Equal(["20250331"], _store.Dropped);
    }

    [Fact]
    public async Task Pages_AreFollowedThroughEmptyOnes()
    {
        var store = new InMemoryExpiryIndexStore(pageSize: 3, emptyPagesBetween: true);
        var link = new RecordingHandler(ExpiryKinds.Link);
        for (var i = 0; i < 10; i++)
        {
            store.Add(ExpiryKinds.Link, "l" + i, Now.AddSeconds(i));
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        var report = await new ExpirySweep(store, [link], _clock, Microsoft.Extensions.Options.Options.Create(_options), NullLogger<ExpirySweep>.Instance).RunAsync(default);

        Assert.Equal(10, report.Expired);
        Assert.Equal(7, report.PagesRead);
        Assert.Empty(store.Rows);
    }

    [Fact]
    public async Task GoneAndNotDue_RemoveTheirIndexRows_AndAreCountedPerKind()
    {
        var link = new RecordingHandler(ExpiryKinds.Link, e => e.TargetPartitionKey == "used" ? ExpiryOutcome.Gone : ExpiryOutcome.NotDue);
        var enrollment = new RecordingHandler(ExpiryKinds.Enrollment);
        _store.Add(ExpiryKinds.Link, "used", Now);
        _store.Add(ExpiryKinds.Link, "extended", Now);
        _store.Add(ExpiryKinds.Enrollment, "e", Now);

        var report = await Sweep(link, enrollment).RunAsync(default);

        Assert.Equal((1, 1, 1), (report.Expired, report.Gone, report.NotDue));
        Assert.Equal(3, report.IndexRowsDeleted);
        Assert.Equal("enrollment: 1 expired; link: 1 gone, 1 not due", report.ByKind());
    }

    [Fact]
    public async Task ARowRewrittenWhileItIsHandled_IsKept_AndHoldsTheCursor()
    {
        ExpiryEntry? rewritten = null;
        var original = _store.Add(ExpiryKinds.Enrollment, "e", Now.AddMinutes(1));
        // The enrollment is renewed (same target, same minute) while the sweep is expiring the old one.
        var handler = new RecordingHandler(ExpiryKinds.Enrollment, _ => ExpiryOutcome.NotDue,
            () => rewritten ??= _store.Add(ExpiryKinds.Enrollment, "e", original.DueAt.AddSeconds(30)));
        _clock.Advance(TimeSpan.FromMinutes(10));

        var report = await Sweep(handler).RunAsync(default);

        Assert.Equal(0, report.IndexRowsDeleted);
        Assert.Equal(rewritten!.DueAt, Assert.Single(_store.Rows).DueAt);
        Assert.Equal(ExpiryBuckets.Previous(original.PartitionKey), _store.Cursor);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoRunsAtOnce_HandleEachEntry_AndLeaveTheCursorAtTheLaterPoint(bool dayEndsMeanwhile)
    {
        var link = new RecordingHandler(ExpiryKinds.Link);
        if (!dayEndsMeanwhile)
        {
            _clock.Advance(TimeSpan.FromHours(12));
        }

        for (var i = 0; i < 50; i++)
        {
            _store.Add(ExpiryKinds.Link, "l" + i, Now.AddSeconds(i * 7));
        }

        _clock.Advance(TimeSpan.FromMinutes(20));
        _options.Parallelism = 4;
        var reports = await Task.WhenAll(Sweep(link).RunAsync(default), Sweep(link).RunAsync(default));

        // Row by row while the day is open (each row deleted once, with its ETag); one drop of the table once it has closed.
        Assert.Equal(dayEndsMeanwhile ? (0, 1) : (50, 0), (reports.Sum(r => r.IndexRowsDeleted), reports.Sum(r => r.DayTablesDropped)));
        Assert.Equal(50, link.Targets.Distinct().Count());
        Assert.Empty(_store.Rows);
        Assert.Equal(ExpiryBuckets.SettledThrough(Now), _store.Cursor);
    }

    [Fact]
    public async Task ADayTheCursorHasPassed_IsDroppedWhole_InsteadOfDeletingItsRowsOneByOne()
    {
        var link = new RecordingHandler(ExpiryKinds.Link);
        for (var i = 0; i < 5; i++)
        {
            _store.Add(ExpiryKinds.Link, "yesterday" + i, Now.AddMinutes(i * 2));
        }

        _store.Add(ExpiryKinds.Link, "today", Now.AddMinutes(11));
        _clock.Advance(TimeSpan.FromMinutes(30));

        var report = await Sweep(link).RunAsync(default);

        Assert.Equal(6, report.Expired);
        Assert.Equal(["20250331"], _store.Dropped);
        Assert.Equal((1, 1), (report.IndexRowsDeleted, report.DayTablesDropped));
        Assert.Empty(_store.Rows);
    }

    [Fact]
    public async Task ADayIsDroppedOnlyOnceItsLastMinuteHasSettled_SoARowWrittenLateIntoItIsStillSwept()
    {
        var link = new RecordingHandler(ExpiryKinds.Link);
        _store.Add(ExpiryKinds.Link, "last-minute", Now.AddMinutes(9.5));
        _clock.Advance(TimeSpan.FromMinutes(12));
        var first = await Sweep(link).RunAsync(default);

        // 00:03: a writer whose clock lags (or whose write was slow) files a row into yesterday's last minute.
        _clock.Advance(TimeSpan.FromMinutes(1));
        _store.Add(ExpiryKinds.Link, "late", new DateTimeOffset(2025, 3, 31, 23, 59, 50, TimeSpan.Zero));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = await Sweep(link).RunAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var third = await Sweep(link).RunAsync(default);

        Assert.Equal((1, 0), (first.Expired, first.DayTablesDropped));
        Assert.Equal((1, 0), (second.Expired, second.DayTablesDropped));
        Assert.Equal("202504010006", ExpiryBuckets.Of(Now));
        Assert.Equal((0, 1), (third.Expired, third.DayTablesDropped));
        Assert.Equal(["last-minute", "late"], link.Targets);
    }

    [Fact]
    public void TwoHandlersForOneKind_AreAConfigurationError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Sweep(new RecordingHandler("link"), new RecordingHandler("link")));

        Assert.Contains("'link'", e.Message);
    }

    [Fact]
    public void IndexDeletes_AreBatchedPerPartition_AtMost100()
    {
        var entries = Enumerable.Range(0, 250).Select(i => new ExpiryEntry { PartitionKey = "202503312350", RowKey = "r" + i })
            .Concat(Enumerable.Range(0, 3).Select(i => new ExpiryEntry { PartitionKey = "202503312351", RowKey = "r" + i }));

        var batches = TableExpiryIndexStore.Batches(entries);

        Assert.Equal([100, 100, 50, 3], batches.Select(b => b.Count));
        Assert.All(batches, b => Assert.Single(b.Select(e => e.PartitionKey).Distinct()));
    }
}
