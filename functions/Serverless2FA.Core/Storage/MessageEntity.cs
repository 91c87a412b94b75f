namespace Serverless2FA.Core.Storage;

/// <summary>
/// One row per Twilio message, table Messages, partition = MessageSid. Row "out": a text the service sent and
/// what it was for, so a status callback can find the enrollment or verification it concerns. Row "in": an
/// inbound text already handled, inserted with Add so a second delivery of the same sid fails with 409.
/// </summary>
internal sealed class MessageEntity : TableRow
{
    public const string Outbound = "out";
    public const string Inbound = "in";

    public MessageEntity()
    {
        RowKey = Outbound;
    }

    public string? Purpose { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>The <see cref="Sms.MessageTarget.Kind"/> a delivery report is dispatched to; null when nothing waits on it.</summary>
    public string? TargetKind { get; set; }
    public string? TargetPartitionKey { get; set; }
    public string? TargetRowKey { get; set; }
    public string? TargetId { get; set; }
}
