using System.Globalization;
using Azure.Data.Tables;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Benchmarks;

/// <summary>
/// Seeds the sweep benchmark's stored pending items fast: rows in transactions of 100 per partition,
/// several transactions at once, index rows in the table of their due day as <see cref="ExpiryIndex"/> writes them.
/// </summary>
internal sealed class SweepBenchmarkSeeder(Tables tables)
{
    public const string RecordsTable = "BenchRecords";

    /// <summary>
    /// <paramref name="count"/> records kept for a while (delivery records, say), due a day and more from
    /// <paramref name="now"/>, a hundred per minute: stored, indexed, and nowhere near due.
    /// </summary>
    public async Task SeedNotDueAsync(int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var records = await tables.GetAsync(RecordsTable, cancellationToken);
        var start = now.AddDays(1);
        var batches = Enumerable.Range(0, (count + 99) / 100).Select(b => Enumerable.Range(b * 100, Math.Min(100, count - b * 100)).ToList());
        await Parallel.ForEachAsync(batches, Options(cancellationToken), async (batch, token) =>
        {
            var partition = "d" + batch[0].ToString("D7", CultureInfo.InvariantCulture);
            var due = start.AddMinutes(batch[0] / 100);
            await records.SubmitTransactionAsync(batch.Select(i => new TableTransactionAction(TableTransactionActionType.Add,
                new TableEntity(partition, Row(i)) { ["Status"] = "delivered", ["At"] = now })), token);
            // A hundred rows of one minute, so of one day's index table.
            var index = await tables.GetAsync(ExpiryIndex.TableOf(ExpiryBuckets.Of(due)), token);
            await index.SubmitTransactionAsync(batch.Select(i => new TableTransactionAction(TableTransactionActionType.Add,
                ExpiryRow.From(Entry(ExpiryKinds.Retention, RecordsTable, partition, Row(i), due.AddMilliseconds(i % 100))))), token);
        });
    }

    /// <summary>
    /// <paramref name="count"/> pending things due within the five minutes after <paramref name="now"/>:
    /// half unopened setup links, half abandoned enrollments, each in its own partition as the app writes them.
    /// </summary>
    public async Task SeedDueAsync(int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var links = await tables.GetAsync(Tables.Links, cancellationToken);
        var users = await tables.GetAsync(Tables.Users, cancellationToken);
        var entries = new List<ExpiryEntry>(count);
        var targets = new List<Func<CancellationToken, Task>>(count);
        for (var i = 0; i < count; i++)
        {
            var due = now.AddSeconds(1 + i * 300.0 / count);
            var key = Guid.NewGuid().ToString("N");
            if (i % 2 == 0)
            {
                var link = new LinkEntity { PartitionKey = key, UserKey = "u" + key, EnrollmentId = "enr_" + key, ExpiresAt = due };
                targets.Add(token => links.AddEntityAsync(link, token));
                entries.Add(Entry(ExpiryKinds.Link, Tables.Links, link.PartitionKey, link.RowKey, due));
            }
            else
            {
                var enrollment = new EnrollmentEntity
                {
                    PartitionKey = "u" + key,
                    EnrollmentId = "enr_" + key,
                    Status = EnrollmentStatus.Opened.ToWire(),
                    CreatedAt = now,
                    ExpiresAt = due,
                    PhoneCipher = "cipher",
                    SessionHash = "hash",
                    SeedCipher = "seed",
                };
                targets.Add(token => users.AddEntityAsync(enrollment, token));
                entries.Add(Entry(ExpiryKinds.Enrollment, Tables.Users, enrollment.PartitionKey, enrollment.RowKey, due));
            }
        }

        await Parallel.ForEachAsync(targets, Options(cancellationToken), async (add, token) => await add(token));
        await Parallel.ForEachAsync(TableExpiryIndexStore.Batches(entries), Options(cancellationToken), async (batch, token) =>
            await (await tables.GetAsync(ExpiryIndex.TableOf(batch[0].PartitionKey), token)).SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Add, ExpiryRow.From(e))), token));
    }

    private static ParallelOptions Options(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken };

    private static string Row(int i) => "r" + i.ToString("D7", CultureInfo.InvariantCulture);

    private static ExpiryEntry Entry(string kind, string table, string partitionKey, string rowKey, DateTimeOffset due) => new()
    {
        PartitionKey = ExpiryBuckets.Of(due),
        RowKey = ExpiryEntry.MakeRowKey(kind, table, partitionKey, rowKey),
        Kind = kind,
        Table = table,
        TargetPartitionKey = partitionKey,
        TargetRowKey = rowKey,
        DueAt = due,
    };
}
