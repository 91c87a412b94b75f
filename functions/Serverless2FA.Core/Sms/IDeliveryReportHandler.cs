namespace Serverless2FA.Core.Sms;

/// <summary>
/// Marks what a text was for when Twilio reports it undelivered or failed. One per <see cref="MessageTarget.Kind"/>;
/// <see cref="DeliveryReports"/> dispatches to it. Must be idempotent: Twilio may call back more than once.
/// </summary>
public interface IDeliveryReportHandler
{
    string Kind { get; }

    Task MarkFailedAsync(MessageTarget target, DeliveryReport report, CancellationToken cancellationToken);
}

/// <param name="Status">Twilio's MessageStatus ("undelivered", "failed", ...).</param>
/// <param name="ErrorCode">Twilio's ErrorCode, when it gave one.</param>
public sealed record DeliveryReport(string MessageSid, string Status, int? ErrorCode)
{
    public bool IsFailure => Status is "undelivered" or "failed";
}
