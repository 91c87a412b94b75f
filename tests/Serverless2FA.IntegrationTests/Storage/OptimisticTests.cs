using Azure;
using Azure.Data.Tables;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Results;
using Serverless2FA.Core.Storage;
using Serverless2FA.IntegrationTests.Expiry;

namespace Serverless2FA.IntegrationTests.Storage;

/// <summary>
/// The one optimistic-concurrency helper against real Azurite, with real writers racing it: a conflict (409, 412,
/// a row gone, also inside a transaction) is decided again on what won; a budget of losses answers Busy; a decision
/// that changes nothing writes nothing; a pending row's index entry is written before it.
/// </summary>
public sealed class OptimisticTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private const string Table = "Counters";

    [Fact]
    public async Task ParallelWriters_AllDecidingOnTheSameRead_EachConflictDecidesAgain_AndEveryOneCounts()
    {
        const int writers = 6;
        var key = NewKey();
        var decisions = 0;
        // Every writer's first read is taken before any of them commits, so all but one must lose a race.
        var firstReads = 0;
        var allRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(_ =>
        {
            var first = true;
            return storage.Optimistic.ChangeAsync(
                async ct =>
                {
                    var row = await storage.Tables.FindAsync<CounterRow>(Table, key, "c", ct);
                    if (first)
                    {
                        first = false;
                        if (Interlocked.Increment(ref firstReads) == writers)
                        {
                            allRead.SetResult();
                        }

                        await allRead.Task;
                    }

                    return row;
                },
                (row, _) =>
                {
                    Interlocked.Increment(ref decisions);
                    return Increment(key, row);
                },
                default);
        }));

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(Enumerable.Range(1, writers), results.Select(r => r.Value).Order());
        Assert.Equal(writers, (await ReadAsync(key))!.Count);
        // The first round's losers (409 on the insert, then 412s) each decided again.
        Assert.True(decisions >= 2 * writers - 1, $"{decisions} decisions");
    }

    [Fact]
    public async Task ARowWrittenBehindTheDecision_FailsItsPartitionTransaction_WhichIsDecidedAgainOnWhatWon()
    {
        var key = NewKey();
        await storage.RacerOf(Table).CreateIfNotExistsAsync();
        await storage.RacerOf(Table).AddEntityAsync(new TableEntity(key, "a") { ["Count"] = 1 });
        await storage.RacerOf(Table).AddEntityAsync(new TableEntity(key, "b") { ["Count"] = 1 });
        var loads = 0;

        var result = await storage.Optimistic.ChangeAsync(
            async ct =>
            {
                var rows = (await storage.Tables.QueryAsync<CounterRow>(Table, RowRange.Partition(key), cancellationToken: ct).ToListAsync(ct)).ToDictionary(r => r.RowKey);
                if (++loads == 1)
                {
                    // Another writer changes "b" after it was read: the transaction that writes "a" and "b" must fail whole.
                    await storage.RacerOf(Table).UpsertEntityAsync(new TableEntity(key, "b") { ["Count"] = 100 }, TableUpdateMode.Replace, ct);
                }

                return rows;
            },
            (rows, _) =>
            {
                var (a, b) = (rows["a"], rows["b"]);
                a.Count++;
                b.Count++;
                return new Decision<string>($"{a.Count}/{b.Count}", new Changes(Table).Replace(a).Replace(b));
            },
            default);

        Assert.Equal("2/101", result.Value);
        Assert.Equal(2, loads);
        Assert.Equal((2, 101), ((await ReadAsync(key, "a"))!.Count, (await ReadAsync(key, "b"))!.Count));
    }

    [Fact]
    public async Task AWriterThatWinsEveryTime_ExhaustsTheBudget_AndTheAnswerIsBusy_WithNothingOfOursWritten()
    {
        var key = NewKey();
        var decisions = 0;

        var result = await storage.Optimistic.ChangeAsync(
            async ct =>
            {
                var row = await storage.Tables.FindAsync<CounterRow>(Table, key, "c", ct);
                // Behind every read, another writer moves the row on by ten.
                await storage.RacerOf(Table).UpsertEntityAsync(new TableEntity(key, "c") { ["Count"] = (row?.Count ?? 0) + 10 }, TableUpdateMode.Replace, ct);
                return row;
            },
            (row, _) =>
            {
                decisions++;
                return Increment(key, row);
            },
            default);

        Assert.False(result.Succeeded);
        Assert.Same(Optimistic.Busy, result.Failure);
        Assert.Equal(FailureKind.Unavailable, result.Failure.Kind);
        Assert.Equal(Optimistic.Budget, decisions);
        // Only the racer's writes: ten per try, none of our increments.
        Assert.Equal(10 * Optimistic.Budget, (await ReadAsync(key))!.Count);
    }

    [Fact]
    public async Task ADecisionThatChangesNothing_WritesNothing()
    {
        var key = NewKey();
        await storage.Optimistic.ChangeAsync(ct => storage.Tables.FindAsync<CounterRow>(Table, key, "c", ct), (row, _) => Increment(key, row), default);
        storage.Log.Clear();

        var result = await storage.Optimistic.ChangeAsync(
            ct => storage.Tables.FindAsync<CounterRow>(Table, key, "c", ct),
            (row, _) => new Decision<int>(row!.Count),
            default);

        Assert.Equal(1, result.Value);
        var request = Assert.Single(Requests(key));
        Assert.Equal("GET", request.Method);
    }

    [Fact]
    public async Task ARowDeletedSinceItWasLoaded_IsAConflict_DecidedAgainAsGone()
    {
        var key = NewKey();
        await storage.Optimistic.ChangeAsync(ct => storage.Tables.FindAsync<CounterRow>(Table, key, "c", ct), (row, _) => Increment(key, row), default);
        var loads = 0;

        var result = await storage.Optimistic.ChangeAsync(
            async ct =>
            {
                var row = await storage.Tables.FindAsync<CounterRow>(Table, key, "c", ct);
                if (++loads == 1)
                {
                    await storage.RacerOf(Table).DeleteEntityAsync(key, "c", cancellationToken: ct);
                }

                return row;
            },
            (row, _) => row is null ? new Decision<string>("gone") : new Decision<string>("deleted", new Changes(Table).Delete(row)),
            default);

        Assert.Equal(("gone", 2), (result.Value, loads));
    }

    [Fact]
    public async Task APendingRow_HasItsIndexEntryWrittenFirst_AndKeepsItWhenTheRowLosesARace()
    {
        var key = NewKey();
        var due = storage.Clock.GetUtcNow().AddMinutes(10);
        var row = new CounterRow { PartitionKey = key, RowKey = "c", Count = 1 };
        storage.Log.Clear();

        Assert.True(await storage.Optimistic.TryCommitAsync(new Changes(Table).Add(row, new Due("test-kind", due)), default));

        // Row writes only: the first use of a table creates it (POST …/Tables).
        var writes = storage.Log.Requests.Where(r => r.Method != "GET" && !r.Path.EndsWith("/Tables", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, writes.Count);
        Assert.Contains(storage.Tables.NameOf(ExpiryIndex.TableOf(ExpiryIndex.Bucket(due))), writes[0].Path);
        Assert.Contains(storage.Tables.NameOf(Table), writes[1].Path);

        // The same keys again: the row exists (409), so nothing of the row is written, but the index entry stands
        // (an entry without its row is dropped by the sweep; a row without one would never expire).
        Assert.False(await storage.Optimistic.TryCommitAsync(new Changes(Table).Add(new CounterRow { PartitionKey = key, RowKey = "c", Count = 5 }, new Due("test-kind", due)), default));
        Assert.Equal(1, (await ReadAsync(key))!.Count);
        var index = storage.RacerOf(ExpiryIndex.TableOf(ExpiryIndex.Bucket(due)));
        Assert.True((await index.GetEntityIfExistsAsync<TableEntity>(ExpiryIndex.Bucket(due), ExpiryEntry.MakeRowKey("test-kind", Table, key, "c"))).HasValue);
    }

    [Fact]
    public async Task AMissingTable_IsAFault_NotAConflict()
    {
        const string gone = "Dropped";
        await storage.Tables.GetAsync(gone);
        // Deleted behind the seam's back, so its cached client still points at it.
        await storage.Racer.DeleteTableAsync(storage.Tables.NameOf(gone));

        var fault = await Assert.ThrowsAsync<RequestFailedException>(() => storage.Optimistic.TryCommitAsync(new Changes(gone).Replace(new CounterRow { PartitionKey = "p", RowKey = "r", ETag = new ETag("W/\"x\"") }), default));

        Assert.Equal(404, fault.Status);
    }

    private static Decision<int> Increment(string key, CounterRow? row)
    {
        var next = row ?? new CounterRow { PartitionKey = key, RowKey = "c" };
        next.Count++;
        var changes = new Changes(Table);
        return new Decision<int>(next.Count, row is null ? changes.Add(next) : changes.Replace(next));
    }

    private Task<CounterRow?> ReadAsync(string key, string row = "c") => storage.Tables.FindAsync<CounterRow>(Table, key, row, default);

    private IEnumerable<RecordedTableRequest> Requests(string key) => storage.Log.Requests.Where(r => r.Path.Contains(key, StringComparison.Ordinal) || (r.Filter ?? string.Empty).Contains(key, StringComparison.Ordinal));

    private static string NewKey() => "k" + Guid.NewGuid().ToString("N");
}

internal sealed class CounterRow : TableRow
{
    public int Count { get; set; }
}
