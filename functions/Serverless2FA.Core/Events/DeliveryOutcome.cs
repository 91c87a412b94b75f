namespace Serverless2FA.Core.Events;

/// <summary>What one try to deliver an event came to.</summary>
/// <param name="Status">The receiver's HTTP status; null when it did not answer (or no request was made).</param>
/// <param name="Detail">Why a try failed, in words for the log and <c>dev/events</c>; never the body or a secret.</param>
public sealed record DeliveryOutcome(bool Delivered, int? Status, string Detail)
{
    public static DeliveryOutcome Failed(string detail, int? status = null) => new(false, status, detail);
}
