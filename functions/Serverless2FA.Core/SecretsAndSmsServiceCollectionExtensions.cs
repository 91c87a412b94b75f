using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Secrets;
using Serverless2FA.Core.Sms;

namespace Serverless2FA.Core;

internal static class SecretsAndSmsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISecretStore"/> (Key Vault when <c>KeyVault:Uri</c> is set, else the local file) and
    /// <see cref="ISmsSender"/> (Twilio when <c>Twilio:AccountSid</c> or <c>KeyVault:Uri</c> is set, else the outbox),
    /// with their settings. Both are chosen when first resolved, from the bound options.
    /// </summary>
    public static IServiceCollection AddSecretsAndSms(this IServiceCollection services, bool development)
    {
        KeyVaultOptions.Bind(services, development);
        TwilioOptions.Bind(services);

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

        // The factory owns the Twilio client's handlers (and recycles them), so the sender itself is a singleton.
        services.TryAddTransient<TwilioApiBaseUrlHandler>();
        services.AddHttpClient(TwilioSmsSender.HttpClientName)
            // Each try gets its share of Twilio:SendBudget; the sender stops retrying when no whole try fits any more.
            .ConfigureHttpClient((sp, http) => http.Timeout = TwilioSmsSender.TryTimeout(sp.GetRequiredService<IOptionsMonitor<TwilioOptions>>().CurrentValue.SendBudget))
            .AddHttpMessageHandler<TwilioApiBaseUrlHandler>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.TryAddSingleton<TwilioSmsSender>();
        services.TryAddSingleton<OutboxSmsSender>();
        services.TryAddSingleton<IOutbox>(sp => sp.GetRequiredService<OutboxSmsSender>());
        services.TryAddSingleton<ISmsSender>(sp => sp.GetRequiredService<IOptions<TwilioOptions>>().Value.IsUsed(sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value)
            ? sp.GetRequiredService<TwilioSmsSender>()
            : sp.GetRequiredService<OutboxSmsSender>());

        return services;
    }
}
