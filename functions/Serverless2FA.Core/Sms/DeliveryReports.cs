using Microsoft.Extensions.Logging;
using Serverless2FA.Core.Storage;

namespace Serverless2FA.Core.Sms;

/// <summary>Twilio's status callbacks: finds what a text was for by its sid and lets that kind's handler mark it.</summary>
public sealed class DeliveryReports(Tables tables, IEnumerable<IDeliveryReportHandler> handlers, ILogger<DeliveryReports> logger)
{
    private readonly Dictionary<string, IDeliveryReportHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    public async Task RecordAsync(DeliveryReport report, CancellationToken cancellationToken)
    {
        // Only failures change anything: "queued", "sent" and "delivered" arrive for every text and need no write.
        if (!report.IsFailure)
        {
            return;
        }

        var row = await tables.FindAsync<MessageEntity>(Tables.Messages, report.MessageSid, MessageEntity.Outbound, cancellationToken).ConfigureAwait(false);
        if (row?.TargetKind is null)
        {
            logger.LogInformation("{MessageSid} {Status} ({ErrorCode}): not a text anything waits on", report.MessageSid, report.Status, report.ErrorCode);
            return;
        }

        if (!_handlers.TryGetValue(row.TargetKind, out var handler))
        {
            logger.LogWarning("{MessageSid} {Status}: no handler for {Kind}", report.MessageSid, report.Status, row.TargetKind);
            return;
        }

        logger.LogWarning("Text {MessageSid} ({Purpose}) {Status} with error {ErrorCode}", report.MessageSid, row.Purpose, report.Status, report.ErrorCode);
        var target = new MessageTarget(row.TargetKind, row.TargetPartitionKey!, row.TargetRowKey!, row.TargetId!);
        await handler.MarkFailedAsync(target, report, cancellationToken).ConfigureAwait(false);
    }
}
