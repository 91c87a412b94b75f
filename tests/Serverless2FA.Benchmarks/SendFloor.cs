using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Serverless2FA.Benchmarks.Verify;
using Serverless2FA.IntegrationTests.Fakes;

namespace Serverless2FA.Benchmarks;

/// <summary>
/// The floor of a sending path: the Table round trips the path was counted making in a round (the same kinds on the
/// same tables, spread over the round's requests so the totals are equal), made by a plain client on the same Azurite,
/// every read of a request at once and then every write at once, then one message to the Twilio stand-in over plain
/// HTTP. A send must read its limits before it takes a slot and take it before it texts, so this is the least those
/// round trips can take; nothing of the service (HTTP, deciding, encrypting, logging) is in it. It is built from what
/// was counted, not from the code, so it follows the path as the path changes. Its client counts its round trips with
/// the same <see cref="TableOpCounter"/>, so the benchmark can check both made the same ones.
/// </summary>
internal sealed class SendFloor : IDisposable
{
    private const string SeedPartition = "floor-seed";
    private const int SeedRows = 16;

    /// <summary>A batch's round trip names no table ("transaction $batch"); the floor's go to the table sending limits live in.</summary>
    private const string TransactionTable = "Phones";

    private static readonly string Padding = new('x', 200);

    private readonly TableServiceClient _service;
    private readonly string _tablePrefix;
    private readonly HttpClient _twilio;
    private readonly string _messagesPath;
    private readonly HashSet<string> _prepared = new(StringComparer.Ordinal);
    private int _texts;

    public SendFloor(string connectionString, string tablePrefix, TableOpCounter counter, TwilioStandIn twilio)
    {
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        _service = new TableServiceClient(connectionString, options);
        _tablePrefix = tablePrefix;
        Counter = counter;
        _twilio = new HttpClient { BaseAddress = twilio.BaseUrl };
        _twilio.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(twilio.AccountSid + ":" + twilio.AuthToken)));
        _messagesPath = $"2010-04-01/Accounts/{twilio.AccountSid}/Messages.json";
    }

    public TableOpCounter Counter { get; }

    /// <summary>
    /// What <paramref name="requests"/> floor requests make: <paramref name="kinds"/> (as counted: "query Phones" -> total).
    /// Seeds the rows the floor reads and replaces (outside the timing) and resets <see cref="Counter"/>.
    /// </summary>
    public async Task<Plan> PlanAsync(IReadOnlyDictionary<string, long> kinds, int requests, CancellationToken cancellationToken)
    {
        var ops = kinds.Select(k =>
        {
            var space = k.Key.IndexOf(' ', StringComparison.Ordinal);
            return new PlannedOp(k.Key[..space], k.Key[(space + 1)..], k.Value);
        }).ToList();
        foreach (var table in ops.Select(TableOf).Distinct().Where(t => t is not null))
        {
            if (_prepared.Add(table!))
            {
                var client = _service.GetTableClient(_tablePrefix + table);
                await client.CreateIfNotExistsAsync(cancellationToken);
                for (var i = 0; i < SeedRows; i++)
                {
                    await client.UpsertEntityAsync(Row(SeedPartition, SeedRow(i)), TableUpdateMode.Replace, cancellationToken);
                }
            }
        }

        Counter.Reset();
        return new Plan(ops, requests);
    }

    public async Task<double> RunOnceAsync(Plan plan, int request, CancellationToken cancellationToken)
    {
        var ops = plan.For(request);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(ops.Where(o => IsRead(o.Verb)).Select(o => RunAsync(o, request, cancellationToken)));
        await Task.WhenAll(ops.Where(o => !IsRead(o.Verb)).Select(o => RunAsync(o, request, cancellationToken)));
        await TextAsync(cancellationToken);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    public void Dispose() => _twilio.Dispose();

    private static bool IsRead(string verb) => verb is "read" or "query";

    private static string? TableOf(PlannedOp op) => op.Table switch
    {
        "$batch" => TransactionTable,
        "Tables" => null,
        var table => table,
    };

    private async Task RunAsync(PlannedOp op, int request, CancellationToken cancellationToken)
    {
        var table = _service.GetTableClient(_tablePrefix + TableOf(op));
        var seed = SeedRow(request % SeedRows);
        switch (op.Verb)
        {
            case "read":
                await table.GetEntityAsync<TableEntity>(SeedPartition, seed, cancellationToken: cancellationToken);
                break;
            case "query":
                // As a sharded counter's read: one partition, half the seed rows.
                await foreach (var row in table.QueryAsync<TableEntity>($"PartitionKey eq '{SeedPartition}' and RowKey lt '{SeedRow(SeedRows / 2)}'", cancellationToken: cancellationToken))
                {
                    _ = row;
                }

                break;
            case "insert" when op.Table == "Tables":
                await _service.CreateTableIfNotExistsAsync(_tablePrefix + TransactionTable, cancellationToken);
                break;
            case "insert":
                await table.AddEntityAsync(Row(), cancellationToken);
                break;
            case "upsert-replace":
                await table.UpsertEntityAsync(Row(), TableUpdateMode.Replace, cancellationToken);
                break;
            case "upsert-merge":
                await table.UpsertEntityAsync(Row(), TableUpdateMode.Merge, cancellationToken);
                break;
            case "replace":
                await table.UpdateEntityAsync(Row(SeedPartition, seed), ETag.All, TableUpdateMode.Replace, cancellationToken);
                break;
            case "merge":
                await table.UpdateEntityAsync(Row(SeedPartition, seed), ETag.All, TableUpdateMode.Merge, cancellationToken);
                break;
            case "delete":
                await table.DeleteEntityAsync("floor-gone", Guid.NewGuid().ToString("N"), ETag.All, cancellationToken);
                break;
            case "transaction":
                var partition = "floor-" + Guid.NewGuid().ToString("N");
                await table.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(partition, "a")),
                        new TableTransactionAction(TableTransactionActionType.Add, Row(partition, "b")),
                    ],
                    cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"The floor has no round trip for '{op.Verb} {op.Table}'.");
        }
    }

    private async Task TextAsync(CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _texts);
        var form = new Dictionary<string, string>
        {
            ["To"] = string.Create(CultureInfo.InvariantCulture, $"+1201{200 + n % 400}7{n / 400 % 1000:D3}"),
            ["From"] = "+15005550006",
            ["Body"] = "Serverless2FA: 123456 is your code. It expires in 10 minutes. Never share it.",
        };
        using var response = await _twilio.PostAsync(_messagesPath, new FormUrlEncodedContent(form), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static string SeedRow(int i) => "r" + i.ToString("D2", CultureInfo.InvariantCulture);

    private static TableEntity Row(string? partitionKey = null, string rowKey = "row")
        => new(partitionKey ?? "floor-" + Guid.NewGuid().ToString("N"), rowKey) { ["Value"] = Padding, ["At"] = TimeProvider.System.GetUtcNow() };

    internal sealed record PlannedOp(string Verb, string Table, long Total);

    /// <summary>The round trips of each request: request i makes the share of each total that brings the first i+1 requests to exactly their part.</summary>
    internal sealed class Plan(IReadOnlyList<PlannedOp> ops, int requests)
    {
        public List<PlannedOp> For(int request)
        {
            var made = new List<PlannedOp>();
            foreach (var op in ops)
            {
                var n = op.Total * (request + 1) / requests - op.Total * request / requests;
                for (var i = 0; i < n; i++)
                {
                    made.Add(op);
                }
            }

            return made;
        }
    }
}
