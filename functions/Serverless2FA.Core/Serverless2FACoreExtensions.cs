using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Factors;
using Serverless2FA.Core.Notices;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Phones;
using Serverless2FA.Core.Sms;
using Serverless2FA.Core.Sms.Budgets;
using Serverless2FA.Core.Storage;
using Serverless2FA.Core.TextEnrollment;
using Serverless2FA.Core.Users;
using Serverless2FA.Core.Verification;

namespace Serverless2FA.Core;

public static class Serverless2FACoreExtensions
{
    /// <summary>
    /// Everything Core offers the functions and the bot: storage, secrets, texts, events, enrollment, verification,
    /// user management and expiry, every setting bound and checked at start-up (a bad one stops it, named). All
    /// singletons: nothing here holds per-request state.
    /// </summary>
    public static IHostApplicationBuilder AddServerless2FACore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        var development = builder.Environment.IsDevelopment();
        ServiceOptions.Bind(services, development);
        services.AddServerless2FAStorage();
        services.AddSecretsAndSms(development);
        // Signed events to the relying app: the queue, its delivery and Events:* (https outside Development).
        services.AddEvents(development);
        services.TryAddSingleton<KeyRing>();
        services.TryAddSingleton<UserKeys>();

        services.TryAddSingleton<TotpFactor>();
        services.TryAddSingleton<TextedCodeFactor>();
        services.TryAddSingleton<EmergencyCodeFactor>();

        AddTexting(services);
        NoticeOptions.Bind(services);
        services.TryAddSingleton<NoticeSender>();
        AddEnrollment(services);
        VerificationOptions.Bind(services);
        services.TryAddSingleton<VerificationService>();
        services.TryAddSingleton<UserStatusService>();
        services.TryAddSingleton<TwoFactorManagementService>();
        AddExpiry(services);
        return builder;
    }

    /// <summary>Texts out (limits, opt-outs) and Twilio's reports on them, each kind of target with its handler.</summary>
    private static void AddTexting(IServiceCollection services)
    {
        SmsOptions.Bind(services);
        services.TryAddSingleton<PhoneNumberPolicy>();
        services.TryAddSingleton<PumpingGuard>();
        services.TryAddSingleton<SendBudgets>();
        services.TryAddSingleton<TextingService>();
        services.TryAddSingleton<DeliveryReports>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryReportHandler, EnrollmentDeliveryHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryReportHandler, VerificationDeliveryHandler>());
    }

    /// <summary>Enrollment by link and by text: the setup steps, join codes and the phone's conversation.</summary>
    private static void AddEnrollment(IServiceCollection services)
    {
        EnrollmentOptions.Bind(services);
        services.TryAddSingleton<StepUps>();
        services.TryAddSingleton<EnrollmentService>();
        services.TryAddSingleton<SetupSessions>();
        services.TryAddSingleton<SetupLinks>();
        services.TryAddSingleton<EmergencyCodeLinks>();
        services.TryAddSingleton<SetupService>();
        services.TryAddSingleton<JoinAttempts>();
        services.TryAddSingleton<JoinCodes>();
        services.TryAddSingleton<TextConversations>();
        services.TryAddSingleton<InboundMessages>();
    }

    /// <summary>The sweep and a handler for every kind of index entry; the sweep takes them all, so a new kind needs only its line here.</summary>
    private static void AddExpiry(IServiceCollection services)
    {
        ExpiryOptions.Bind(services);
        services.TryAddSingleton<ExpirySweep>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiryHandler, LinkExpiryHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiryHandler, EnrollmentExpiryHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiryHandler, RetentionExpiryHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiryHandler, VerificationExpiryHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiryHandler, JoinCodeExpiryHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiryHandler, OutboxExpiryHandler>());
        // The trim is also scheduled by completing an enrollment: one instance serves both.
        services.TryAddSingleton<AuditTrimHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiryHandler, AuditTrimHandler>(sp => sp.GetRequiredService<AuditTrimHandler>()));
    }
}
