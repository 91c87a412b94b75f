using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Secrets;
using Serverless2FA.Core.Sms;

namespace Serverless2FA.Core;

public static class SecretsAndSmsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISecretStore"/> (Key Vault when <c>KeyVault:Uri</c> is set, else the local file) and
    /// <see cref="ISmsSender"/> (Twilio when <c>Twilio:AccountSid</c> or <c>KeyVault:Uri</c> is set, else the outbox),
    /// and binds <see cref="TwilioOptions"/> and <see cref="KeyVaultOptions"/>. The caller binds <see cref="ServiceOptions"/>
    /// and, for the outbox, registers <see cref="Tables"/>.
    /// </summary>
    public static IServiceCollection AddSecretsAndSms(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<KeyVaultOptions>()
            .BindConfiguration(KeyVaultOptions.Section)
            .Validate(o => o.CacheTtl > TimeSpan.Zero, "KeyVault:CacheTtl must be positive.")
            .Validate(o => o.Uri is not null || !string.IsNullOrWhiteSpace(o.LocalFile), "Set KeyVault:Uri or KeyVault:LocalFile.")
            .ValidateOnStart();

        services.AddOptions<TwilioOptions>()
            .BindConfiguration(TwilioOptions.Section)
            .Validate<IOptions<KeyVaultOptions>>(
                (twilio, keyVault) => !UsesTwilio(twilio, keyVault.Value)
                    || !string.IsNullOrWhiteSpace(twilio.FromNumber)
                    || !string.IsNullOrWhiteSpace(twilio.MessagingServiceSid),
                "Twilio needs a sender: set Twilio:FromNumber or Twilio:MessagingServiceSid.")
            .Validate(o => o.ApiBaseUrl.IsAbsoluteUri, "Twilio:ApiBaseUrl must be an absolute URL.")
            .Validate(o => o.SendBudget >= TimeSpan.FromSeconds(1) && o.SendBudget <= TimeSpan.FromMinutes(2), "Twilio:SendBudget must be between 00:00:01 and 00:02:00.")
            .ValidateOnStart();

        // Secrets: the choice is made when first resolved, from the bound options.
        // Key Vault is held to the storage budget: one read, retries included, then the request answers 503.
        services.TryAddSingleton(sp => new SecretClient(
            sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value.Uri
                ?? throw new InvalidOperationException("KeyVault:Uri is not set."),
            new DefaultAzureCredential(),
            RetryBudget.Within(new SecretClientOptions(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.RequestBudget)));
        services.TryAddSingleton<KeyVaultSecretStore>();
        services.TryAddSingleton<FileSecretStore>();
        services.TryAddSingleton<ISecretStore>(sp => sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value.Uri is null
            ? sp.GetRequiredService<FileSecretStore>()
            : sp.GetRequiredService<KeyVaultSecretStore>());

        // Texts. TwilioSmsSender is a typed client (transient), so its HttpClient's handlers are recycled by the factory.
        services.TryAddTransient<TwilioApiBaseUrlHandler>();
        services.AddHttpClient<TwilioSmsSender>()
            // Each try gets its share of Twilio:SendBudget; the sender stops retrying when no whole try fits any more.
            .ConfigureHttpClient((sp, http) => http.Timeout = TwilioSmsSender.TryTimeout(sp.GetRequiredService<IOptionsMonitor<TwilioOptions>>().CurrentValue.SendBudget))
            .AddHttpMessageHandler<TwilioApiBaseUrlHandler>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.TryAddSingleton<OutboxSmsSender>();
        services.TryAddSingleton<IOutbox>(sp => sp.GetRequiredService<OutboxSmsSender>());
        services.TryAddTransient<ISmsSender>(sp => UsesTwilio(
                sp.GetRequiredService<IOptions<TwilioOptions>>().Value,
                sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value)
            ? sp.GetRequiredService<TwilioSmsSender>()
            : sp.GetRequiredService<OutboxSmsSender>());

        return services;
    }

    // In Azure the Twilio credentials live in Key Vault, so a vault means Twilio even with no Twilio app settings.
    private static bool UsesTwilio(TwilioOptions twilio, KeyVaultOptions keyVault) => twilio.HasCredentials || keyVault.Uri is not null;
}
