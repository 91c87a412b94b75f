namespace Serverless2FA.Core.Storage;

/// <summary>
/// A text the outbox "sent" (local only): table Outbox, partition = a plain hash of the number (ascending row keys),
/// and again in the "~recent" partition (descending), so both "this number's texts" and "the latest" are one partition read.
/// </summary>
internal sealed class OutboxRow : TableRow
{
    public string To { get; set; } = string.Empty;
    public string Body { get; set; } = string.Empty;
    public string Purpose { get; set; } = string.Empty;
    public DateTimeOffset SentAt { get; set; }
    public string MessageSid { get; set; } = string.Empty;
}
