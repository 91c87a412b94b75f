namespace Serverless2FA.Core.Sms;

/// <summary>Sends one text. Expected failures come back as values, never as exceptions.</summary>
public interface ISmsSender
{
    /// <summary>"twilio" or "outbox", as the health endpoint reports it.</summary>
    string Mode { get; }

    Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken);
}

/// <param name="To">E.164 number.</param>
/// <param name="Body">The text; templates keep it to one GSM-7 segment.</param>
/// <param name="Purpose">What the text is for ("setup-link", "setup-code", "login-code", ...), for delivery tracking and the outbox.</param>
public sealed record SmsMessage(string To, string Body, string Purpose);

public enum SmsSendStatus
{
    Sent,
    /// <summary>The person texted STOP (Twilio 21610): nothing may be sent until START.</summary>
    OptedOut,
    /// <summary>The number cannot receive texts (Twilio 21211 and kin).</summary>
    InvalidNumber,
    /// <summary>Twilio kept refusing (429/5xx) after the retries: try again later.</summary>
    Unavailable,
}

/// <param name="MessageSid">Twilio's id (or the outbox id) when sent.</param>
/// <param name="ErrorCode">Twilio's error code when not sent.</param>
public sealed record SmsSendResult(SmsSendStatus Status, string? MessageSid = null, int? ErrorCode = null)
{
    public bool Succeeded => Status == SmsSendStatus.Sent;

    /// <summary>
    /// False when the text went out but storage failed while recording it (<see cref="TextingService"/>): the send
    /// stands, and nothing more is written for it in this request, since storage is failing and the request has
    /// spent its storage budget already.
    /// </summary>
    public bool Recorded { get; init; } = true;
}
