using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Bot;
using Serverless2FA.Core;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Enrollment;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.TextEnrollment;
using Serverless2FA.Core.Totp;
using Serverless2FA.Core.Users;
using Serverless2FA.Core.Verification;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions;

public static class ServiceRegistration
{
    /// <summary>Everything the functions need; called by the Functions worker and by the local host alike.</summary>
    public static IHostApplicationBuilder AddServerless2FA(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);

        // Outside Development every address a secret travels to must be https: texted links, setup cookies and
        // Twilio's signed webhooks (PublicBaseUrl); the relying app's signed events (Events:WebhookUrl) in AddEvents.
        var development = builder.Environment.IsDevelopment();
        services.AddOptions<ServiceOptions>().BindConfiguration(ServiceOptions.Section)
            .Validate(o => o.PublicBaseUrl.IsAbsoluteUri && o.PublicBaseUrl.AbsolutePath == "/", "PublicBaseUrl must be an origin such as https://2fa.example.com (no path).")
            .Validate(o => o.PublicBaseUrl.GetLeftPart(UriPartial.Authority).Length <= 64, "PublicBaseUrl must be at most 64 characters, so texted links fit one SMS segment.")
            .Validate(o => development || o.PublicBaseUrl.Scheme == Uri.UriSchemeHttps, "PublicBaseUrl must be https outside Development (texted links, the setup cookie and Twilio's signatures depend on it).")
            .ValidateDataAnnotations().ValidateOnStart();
        services.PostConfigure<LoggerFilterOptions>(TokenSafeLogging.Apply);
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString) || o.TableServiceUri is not null, "Set Storage:ConnectionString (or Storage:TableServiceUri and Storage:QueueServiceUri with a managed identity).")
            .Validate(o => o.TablePrefix.All(char.IsAsciiLetterOrDigit) && o.TablePrefix.Length is > 0 and <= 20, "Storage:TablePrefix must be 1-20 letters or digits.")
            .Validate(o => o.RequestBudget >= TimeSpan.FromSeconds(1) && o.RequestBudget <= TimeSpan.FromMinutes(2), "Storage:RequestBudget must be between 00:00:01 and 00:02:00.")
            .ValidateOnStart();
        services.AddOptions<EnrollmentOptions>().BindConfiguration(EnrollmentOptions.Section)
            .Validate(o => o.LinkTtl > TimeSpan.Zero && o.SessionTtl > TimeSpan.Zero, "Enrollment lifetimes must be positive.").ValidateOnStart();
        services.AddOptions<VerificationOptions>().BindConfiguration(VerificationOptions.Section)
            .Validate(o => o.CodeTtl > TimeSpan.Zero && o.MaxAttempts is > 0 and <= 20, "Verification:CodeTtl must be positive and Verification:MaxAttempts 1-20.")
            .Validate(o => o.LockoutPeriod > TimeSpan.Zero && o.HardLockAfter >= o.MaxAttempts, "Verification:LockoutPeriod must be positive and Verification:HardLockAfter at least MaxAttempts.")
            .Validate(o => o.DeviceTtl > TimeSpan.Zero && o.MaxDevices is > 0 and <= 50, "Verification:DeviceTtl must be positive and Verification:MaxDevices 1-50.")
            .ValidateOnStart();
        services.AddOptions<ExpiryOptions>().BindConfiguration(ExpiryOptions.Section)
            .Validate(o => o.TimeBudget > TimeSpan.Zero && o.MaxLookBack > TimeSpan.Zero && o.Parallelism is > 0 and <= 64, "Expiry:TimeBudget and Expiry:MaxLookBack must be positive and Expiry:Parallelism 1-64.")
            .Validate(o => o.DeliveryRecordRetention > TimeSpan.Zero && o.MessageSidRetention > TimeSpan.Zero && o.AuditRetention > TimeSpan.Zero, "Expiry retention ages must be positive.")
            .ValidateOnStart();
        services.AddOptions<SmsOptions>().BindConfiguration(SmsOptions.Section)
            .Validate(o => o.PerNumberPerHour > 0 && o.PerUserPerHour > 0 && o.PerCountryPerHour > 0, "Sms:PerNumberPerHour, Sms:PerUserPerHour and Sms:PerCountryPerHour must be positive.")
            .ValidateOnStart();

        services.TryAddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            // One Table call, retries included, ends within the budget; then the request answers 503 (FaultFilter).
            var options = RetryBudget.Within(new TableClientOptions(), storage.RequestBudget);
            return string.IsNullOrWhiteSpace(storage.ConnectionString)
                ? new TableServiceClient(storage.TableServiceUri, new DefaultAzureCredential(), options)
                : new TableServiceClient(storage.ConnectionString, options);
        });
        services.TryAddSingleton<Tables>();
        services.AddSecretsAndSms();
        // Signed events to the relying app: the queue, its delivery and Events:* (https outside Development).
        services.AddEvents(development);
        // Outside Development the keys must come from Key Vault: a generated file on an instance's disk would be
        // lost with the instance, and every encrypted phone and seed with it.
        services.AddOptions<KeyVaultOptions>()
            .Validate(o => development || o.Uri is not null, "KeyVault:Uri is required outside Development (the local secret file is for a laptop only).");

        services.TryAddSingleton<KeyRing>();
        services.TryAddSingleton<UserKeys>();
        services.TryAddSingleton<PhoneNumberPolicy>();
        // Texting and what uses it are transient: ISmsSender is a typed HttpClient, which must not be held by a singleton.
        services.TryAddTransient<TextingService>();
        services.TryAddSingleton<ExpiryIndex>();
        services.TryAddSingleton<IExpiryIndexStore, TableExpiryIndexStore>();
        // One handler per kind; the sweep takes them all, so a new kind needs only its registration here.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiryHandler, LinkExpiryHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiryHandler, EnrollmentExpiryHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiryHandler, RetentionExpiryHandler>());
        services.TryAddSingleton<AuditTrimHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiryHandler, AuditTrimHandler>(sp => sp.GetRequiredService<AuditTrimHandler>()));
        // Transient: a handler may depend on transient services (texting), which a singleton must not hold.
        services.TryAddTransient<ExpirySweep>();
        services.TryAddSingleton<TotpFactor>();
        services.TryAddTransient<EnrollmentService>();
        services.TryAddSingleton<SetupSessions>();
        services.TryAddSingleton<SetupLinks>();
        services.TryAddTransient<SetupService>();
        services.TryAddSingleton<UserStatusService>();
        services.TryAddSingleton<SendLimits>();
        services.TryAddTransient<VerificationService>();
        services.TryAddSingleton<TwoFactorManagementService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiryHandler, VerificationExpiryHandler>());

        // The functions answer with IActionResults; both hosts execute them with MVC's result executors.
        services.AddMvcCore();

        // Enrollment by text and the SMS bot.
        services.TryAddSingleton<JoinAttempts>();
        services.TryAddSingleton<JoinCodes>();
        services.TryAddSingleton<TextConversations>();
        services.TryAddSingleton<InboundMessages>();
        services.TryAddTransient<BotSteps>();
        services.TryAddTransient<SmsBot>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiryHandler, JoinCodeExpiryHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryReportHandler, EnrollmentDeliveryHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryReportHandler, VerificationDeliveryHandler>());
        services.TryAddSingleton<DeliveryReports>();

        // Outermost first: headers go on every answer, faults included.
        services.AddSingleton<IHttpFunctionFilter, SecurityHeadersFilter>();
        services.AddSingleton<IHttpFunctionFilter, FaultFilter>();
        // Before anything reads a body or a cookie: another site's request to a setup POST changes nothing.
        services.AddSingleton<IHttpFunctionFilter, SameOriginFilter>();
        // Innermost: runs only for the Twilio webhooks, after faults are caught and headers set.
        services.AddSingleton<IHttpFunctionFilter, TwilioSignatureFilter>();
        services.TryAddSingleton<HttpFilterPipeline>();

        if (builder is IFunctionsWorkerApplicationBuilder worker)
        {
            worker.UseMiddleware<HttpFilterMiddleware>();
        }

        return builder;
    }
}
