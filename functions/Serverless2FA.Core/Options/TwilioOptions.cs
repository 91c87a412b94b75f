using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

    /// <summary>Twilio is used when there are credentials, or a Key Vault (which holds them in Azure).</summary>
    internal bool IsUsed(KeyVaultOptions keyVault) => HasCredentials || keyVault.Uri is not null;

    internal static OptionsBuilder<TwilioOptions> Bind(IServiceCollection services)
        => services.AddOptions<TwilioOptions>().BindConfiguration(Section)
            .Validate<IOptions<KeyVaultOptions>>(
                (twilio, keyVault) => !twilio.IsUsed(keyVault.Value) || !string.IsNullOrWhiteSpace(twilio.FromNumber) || !string.IsNullOrWhiteSpace(twilio.MessagingServiceSid),
                "Twilio needs a sender: set Twilio:FromNumber or Twilio:MessagingServiceSid.")
            .Validate(o => o.ApiBaseUrl.IsAbsoluteUri, "Twilio:ApiBaseUrl must be an absolute URL.")
            .Validate(o => o.SendBudget >= TimeSpan.FromSeconds(1) && o.SendBudget <= TimeSpan.FromMinutes(2), "Twilio:SendBudget must be between 00:00:01 and 00:02:00.")
            .ValidateOnStart();
}
