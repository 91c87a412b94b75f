using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Expiry;

/// <summary>
/// The index keeps one table per due day, and the sweep drops a day's table once it is past the whole day.
/// Each test has its own table prefix and clock, so it can put the clock at midnight without moving the fixture's.
/// </summary>
[Collection(Infrastructure.ServiceCollection.Name)]
public sealed class ExpiryDayTablesTests(ServiceFixture fixture)
{
    private const string Probe = "SweepProbe";

    [Fact]
    public async Task ASweepPastTheEndOfADay_DropsThatDaysTableWhole_WithEveryQueryBounded()
    {
        var clock = new ShiftableTimeProvider();
        var midnight = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        clock.Advance(midnight.AddMinutes(-3) - clock.GetUtcNow());
        using var services = Services(clock);
        var tables = services.Services.GetRequiredService<Tables>();
        var partition = await IndexAsync(services, ("late-evening", midnight.AddMinutes(-1.5)), ("after-midnight", midnight.AddMinutes(2)));
        var yesterday = ExpiryIndex.TableOf(ExpiryIndex.Bucket(midnight.AddMinutes(-1)));
        var today = ExpiryIndex.TableOf(ExpiryIndex.Bucket(midnight));
        Assert.True(await IndexProbe.TableExistsAsync(tables, yesterday));

        // 00:10: yesterday's last minute has settled, today's first minutes are due.
        clock.Advance(TimeSpan.FromMinutes(13));
        services.Log.Clear();
        var report = await services.Services.GetRequiredService<ExpirySweep>().RunAsync(default);

        Assert.Equal(2, report.ExpiredOf(ExpiryKinds.Retention));
        var probe = await tables.GetAsync(Probe);
        Assert.Empty(await probe.QueryAsync<TableEntity>(RowRange.Partition(partition)).ToListAsync());
        // Today's row deleted with its ETag; yesterday's went with its table, in one request.
        Assert.Equal((1, 1), (report.IndexRowsDeleted, report.DayTablesDropped));
        Assert.Contains(services.Log.Requests, r => r.Method == "DELETE" && r.Path.EndsWith($"Tables('{tables.NameOf(yesterday)}')", StringComparison.Ordinal));
        Assert.False(await IndexProbe.TableExistsAsync(tables, yesterday));
        Assert.True(await IndexProbe.TableExistsAsync(tables, today));
        Assert.NotEmpty(services.Log.Queries);
        Assert.Empty(services.Log.Unbounded);
    }

    [Fact]
    public async Task AnEntryAlreadyDue_IsFiledUnderTheCurrentMinute_SoASweepPastItsOwnMinuteStillFindsIt()
    {
        var clock = new ShiftableTimeProvider();
        using var services = Services(clock);
        var tables = services.Services.GetRequiredService<Tables>();
        // The cursor is now minutes behind the clock, and days behind it are dropped.
        await services.Services.GetRequiredService<ExpirySweep>().RunAsync(default);
        var dayAgo = clock.GetUtcNow().AddDays(-1);

        await IndexAsync(services, ("a-day-old", dayAgo));
        clock.Advance(TimeSpan.FromMinutes(1));
        var report = await services.Services.GetRequiredService<ExpirySweep>().RunAsync(default);

        Assert.Equal(1, report.ExpiredOf(ExpiryKinds.Retention));
        Assert.False(await IndexProbe.TableExistsAsync(tables, ExpiryIndex.TableOf(ExpiryIndex.Bucket(dayAgo))));
    }

    [Fact]
    public async Task TheCursorIsStoredWhereItIsRead_SoTheNextRunReadsOnlyPastIt()
    {
        var clock = new ShiftableTimeProvider();
        using var services = Services(clock);
        var sweep = services.Services.GetRequiredService<ExpirySweep>();
        // A first run has no cursor: it looks back Expiry:MaxLookBack (a week), one query per day table.
        var first = await sweep.RunAsync(default);
        Assert.NotNull(first.Cursor);

        clock.Advance(TimeSpan.FromMinutes(1));
        services.Log.Clear();
        var second = await sweep.RunAsync(default);

        // From the stored cursor: today's table only, and the cursor moved on.
        Assert.Single(services.Log.Queries);
        Assert.True(string.CompareOrdinal(second.Cursor, first.Cursor) > 0, $"{first.Cursor} -> {second.Cursor}");
    }

    private SweepServices Services(ShiftableTimeProvider clock)
        => new(fixture.StorageConnectionString, "d" + Guid.NewGuid().ToString("N")[..12], clock);

    /// <summary>Writes a probe row per (row key, due time) in one new partition, each indexed as the app does.</summary>
    private static async Task<string> IndexAsync(SweepServices services, params (string Row, DateTimeOffset Due)[] rows)
    {
        var probe = await services.Services.GetRequiredService<Tables>().GetAsync(Probe);
        var index = services.Services.GetRequiredService<ExpiryIndex>();
        var partition = "p" + Guid.NewGuid().ToString("N");
        foreach (var (row, due) in rows)
        {
            await index.AddAsync(ExpiryKinds.Retention, Probe, partition, row, due, default);
            await probe.AddEntityAsync(new TableEntity(partition, row));
        }

        return partition;
    }
}
