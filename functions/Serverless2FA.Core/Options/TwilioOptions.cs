namespace Serverless2FA.Core.Options;

/// <summary>Twilio credentials and sender. With no credentials, texts go to the outbox.</summary>
public sealed class TwilioOptions
{
    public const string Section = "Twilio";

    public string? AccountSid { get; set; }

    /// <summary>In Azure this is the Key Vault secret <c>twilio-auth-token</c>, never an app setting.</summary>
    public string? AuthToken { get; set; }

    public string? FromNumber { get; set; }

    public string? MessagingServiceSid { get; set; }

    public Uri ApiBaseUrl { get; set; } = new("https://api.twilio.com");

    /// <summary>The longest one text may take to send, its retries included, before it counts as Twilio being unavailable.</summary>
    public TimeSpan SendBudget { get; set; } = TimeSpan.FromSeconds(10);

    public bool HasCredentials => !string.IsNullOrWhiteSpace(AccountSid);
}
