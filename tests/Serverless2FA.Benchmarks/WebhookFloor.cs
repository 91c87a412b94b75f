using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Core;
using Azure.Data.Tables;
using Serverless2FA.Benchmarks.Verify;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Storage;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.Benchmarks;

/// <summary>
/// The webhook's Table round trips for a STATUS from an unknown number, made the way the bot makes them, with a
/// plain client on the same Azurite and the host's own tables: the retention index row (upsert), then the
/// MessageSid claim (insert), and alongside both the phone's partition (query, same columns). Its client counts its round trips
/// with the same <see cref="TableOpCounter"/>, so the benchmark can check both made the same ones.
/// </summary>
internal sealed class WebhookFloor
{
    private static readonly Dictionary<string, long> PerRequest = new(StringComparer.Ordinal)
    {
        // The index row goes into the table of its due day (Tables.ExpiryDay); kinds name it without the date.
        ["upsert-replace Expiry{day}"] = 1,
        ["insert Messages"] = 1,
        ["query Phones"] = 1,
    };

    private readonly TableServiceClient _service;
    private readonly string _tablePrefix;
    private readonly TableClient _messages;
    private readonly TableClient _phones;
    private readonly int _numbers;

    public WebhookFloor(string connectionString, string tablePrefix, TableOpCounter counter, int numbers)
    {
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var service = new TableServiceClient(connectionString, options);
        _service = service;
        _tablePrefix = tablePrefix;
        _messages = service.GetTableClient(tablePrefix + Tables.Messages);
        _phones = service.GetTableClient(tablePrefix + Tables.Phones);
        _numbers = numbers;
    }

    /// <summary>Whether the webhook's round trips, over <paramref name="requests"/> requests, are the ones this floor makes.</summary>
    public bool Makes(IReadOnlyDictionary<string, long> webhook, int requests, out string floor)
    {
        floor = WebhookBenchmark.Describe(PerRequest.ToDictionary(k => k.Key, k => k.Value * requests), requests);
        return WebhookBenchmark.Describe(webhook, requests) == floor;
    }

    /// <summary>The tables exist already (the webhook made them); this only makes sure, outside the timing.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        foreach (var table in new[] { ExpiryTable(TimeProvider.System.GetUtcNow() + new ExpiryOptions().MessageSidRetention), _messages, _phones })
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }
    }

    public async Task<double> RunOnceAsync(int i, CancellationToken cancellationToken)
    {
        var sid = TwilioSignature.NewMessageSid();
        var now = TimeProvider.System.GetUtcNow();
        var due = now + new ExpiryOptions().MessageSidRetention;
        // Keys shaped like UserKeys.ForPhoneAsync's, for numbers with no rows, as the benchmark's senders are.
        var phoneKey = "p" + Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i % _numbers)))[..40];
        var started = Stopwatch.GetTimestamp();
        // As the bot: the phone's partition is read while the MessageSid is indexed and then claimed.
        var reading = ReadPhoneAsync(phoneKey, cancellationToken);
        await ExpiryTable(due).UpsertEntityAsync(
            new ExpiryRow
            {
                PartitionKey = ExpiryIndex.Bucket(due),
                RowKey = ExpiryEntry.MakeRowKey(ExpiryKinds.Retention, Tables.Messages, sid, MessageEntity.Inbound),
                Kind = ExpiryKinds.Retention,
                Table = Tables.Messages,
                TargetPartitionKey = sid,
                TargetRowKey = MessageEntity.Inbound,
                DueAt = due,
            },
            TableUpdateMode.Replace,
            cancellationToken);
        await _messages.AddEntityAsync(new MessageEntity { PartitionKey = sid, RowKey = MessageEntity.Inbound, At = now }, cancellationToken);
        await reading;
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private TableClient ExpiryTable(DateTimeOffset due)
        => _service.GetTableClient(_tablePrefix + Tables.ExpiryDay(ExpiryBuckets.Day(ExpiryIndex.Bucket(due))));

    private async Task ReadPhoneAsync(string phoneKey, CancellationToken cancellationToken)
    {
        await foreach (var row in _phones.QueryAsync<TableEntity>(
            $"PartitionKey eq '{phoneKey}'", select: ["RowKey", nameof(PhoneEntity.OptedOut), nameof(ConversationEntity.UserKey), nameof(ConversationEntity.EnrollmentId)], cancellationToken: cancellationToken))
        {
            _ = row;
        }
    }
}
