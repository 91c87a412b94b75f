using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Sms;

/// <summary>
/// Stands in for Twilio when there are no credentials: texts are written to the Outbox table, where
/// <c>dev/outbox</c> and the phone simulator read them. Local only, so the partition key is a plain hash of the number.
/// </summary>
public sealed partial class OutboxSmsSender(Tables tables, Optimistic optimistic, TimeProvider timeProvider, ILogger<OutboxSmsSender> logger)
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
        var sentAt = timeProvider.GetUtcNow();
        var sid = SidPrefix + RandomNumberGenerator.GetHexString(SidLength - SidPrefix.Length, lowercase: true);

        // The sid ends both row keys, so two texts in the same tick never collide.
        var ascending = sentAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + sid;
        var inverted = (DateTimeOffset.MaxValue.UtcTicks - sentAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + sid;

        await optimistic.CommitAsync(new Changes(Tables.Outbox).Add(ToRow(PartitionOf(message.To), ascending, message, sentAt, sid)), cancellationToken).ConfigureAwait(false);
        await optimistic.CommitAsync(new Changes(Tables.Outbox).Add(ToRow(RecentPartition, inverted, message, sentAt, sid)), cancellationToken).ConfigureAwait(false);

        var maskedTo = PhoneMask.Mask(message.To);
        LogRecorded(logger, message.Purpose, maskedTo, sid);
        return new SmsSendResult(SmsSendStatus.Sent, sid);
    }

    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(string? to, CancellationToken ct)
    {
        var messages = new List<OutboxMessage>();
        if (to is not null)
        {
            await foreach (var row in tables.QueryAsync<OutboxRow>(Tables.Outbox, RowRange.Partition(PartitionOf(to)), cancellationToken: ct).ConfigureAwait(false))
            {
                messages.Add(FromRow(row));
            }

            return messages;
        }

        await foreach (var row in tables.QueryAsync<OutboxRow>(Tables.Outbox, RowRange.Partition(RecentPartition), pageSize: RecentLimit, cancellationToken: ct).ConfigureAwait(false))
        {
            messages.Add(FromRow(row));
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

    private static OutboxRow ToRow(string partitionKey, string rowKey, SmsMessage message, DateTimeOffset sentAt, string sid) => new()
    {
        PartitionKey = partitionKey,
        RowKey = rowKey,
        To = message.To,
        Body = message.Body,
        Purpose = message.Purpose,
        SentAt = sentAt,
        MessageSid = sid,
    };

    private static OutboxMessage FromRow(OutboxRow row) => new(row.To, row.Body, row.Purpose, row.SentAt, row.MessageSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox recorded {Purpose} text to {To} as {MessageSid}")]
    private static partial void LogRecorded(ILogger logger, string purpose, string to, string messageSid);
}
