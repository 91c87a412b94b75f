using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Sms;

/// <summary>
/// Stands in for Twilio when there are no credentials: texts are written to the Outbox table, where
/// <c>dev/outbox</c> and the phone simulator read them. Local only, so the partition key is a plain hash of the number.
/// </summary>
public sealed partial class OutboxSmsSender(Tables tables, TimeProvider timeProvider, ILogger<OutboxSmsSender> logger)
    : ISmsSender, IOutbox
{
    public const string ModeName = "outbox";

    /// <summary>Every text is also written here, newest first, so "latest overall" is one partition read, not a scan.</summary>
    internal const string RecentPartition = "~recent";

    internal const int RecentLimit = 100;

    private const string SidPrefix = "SMoutbox";
    private const int SidLength = 34;

    public string Mode => ModeName;

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var table = await tables.GetAsync(Tables.Outbox, cancellationToken).ConfigureAwait(false);
        var sentAt = timeProvider.GetUtcNow();
        var sid = SidPrefix + RandomNumberGenerator.GetHexString(SidLength - SidPrefix.Length, lowercase: true);

        // The sid ends both row keys, so two texts in the same tick never collide.
        var ascending = sentAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + sid;
        var inverted = (DateTimeOffset.MaxValue.UtcTicks - sentAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + sid;

        await table.AddEntityAsync(ToEntity(PartitionOf(message.To), ascending, message, sentAt, sid), cancellationToken).ConfigureAwait(false);
        await table.AddEntityAsync(ToEntity(RecentPartition, inverted, message, sentAt, sid), cancellationToken).ConfigureAwait(false);

        var maskedTo = PhoneMask.Mask(message.To);
        LogRecorded(logger, message.Purpose, maskedTo, sid);
        return new SmsSendResult(SmsSendStatus.Sent, sid);
    }

    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(string? to, CancellationToken ct)
    {
        var table = await tables.GetAsync(Tables.Outbox, ct).ConfigureAwait(false);
        var messages = new List<OutboxMessage>();
        if (to is not null)
        {
            var partition = PartitionOf(to);
            await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: ct).ConfigureAwait(false))
            {
                messages.Add(FromEntity(entity));
            }

            return messages;
        }

        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == RecentPartition, maxPerPage: RecentLimit, cancellationToken: ct).ConfigureAwait(false))
        {
            messages.Add(FromEntity(entity));
            if (messages.Count == RecentLimit)
            {
                break;
            }
        }

        messages.Reverse();
        return messages;
    }

    internal static string PartitionOf(string to)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(to)));

    private static TableEntity ToEntity(string partitionKey, string rowKey, SmsMessage message, DateTimeOffset sentAt, string sid)
        => new(partitionKey, rowKey)
        {
            [nameof(OutboxMessage.To)] = message.To,
            [nameof(OutboxMessage.Body)] = message.Body,
            [nameof(OutboxMessage.Purpose)] = message.Purpose,
            [nameof(OutboxMessage.SentAt)] = sentAt,
            [nameof(OutboxMessage.MessageSid)] = sid,
        };

    private static OutboxMessage FromEntity(TableEntity entity)
        => new(
            entity.GetString(nameof(OutboxMessage.To)),
            entity.GetString(nameof(OutboxMessage.Body)),
            entity.GetString(nameof(OutboxMessage.Purpose)),
            entity.GetDateTimeOffset(nameof(OutboxMessage.SentAt)) ?? DateTimeOffset.MinValue,
            entity.GetString(nameof(OutboxMessage.MessageSid)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox recorded {Purpose} text to {To} as {MessageSid}")]
    private static partial void LogRecorded(ILogger logger, string purpose, string to, string messageSid);
}
