using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless2FA.Core.Events;
using Serverless2FA.Functions;
using Serverless2FA.Functions.Http;
using Serverless2FA.Local.Admin;
using Serverless2FA.Local.Dev;
using Serverless2FA.Local.Functions;
using Serverless2FA.Local.Http;
using Serverless2FA.Local.Queues;
using Serverless2FA.Local.Timers;

namespace Serverless2FA.Local.Hosting;

/// <summary>What turns a web app into a Functions host for Serverless2FA's functions.</summary>
internal static class LocalHostExtensions
{
    public const string TimersSetting = "LocalHost:Timers";

    public const string QueuesSetting = "LocalHost:Queues";

    /// <summary>Registers discovery, the timer scheduler and the queue listener; call after <c>AddServerless2FA</c>, which registers the rest.</summary>
    public static WebApplicationBuilder AddLocalHost(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var routePrefix = HostJson.ReadRoutePrefix(AppContext.BaseDirectory);
        services.AddSingleton(sp => new FunctionCatalog(FunctionDiscovery.Discover(
            typeof(ServiceRegistration).Assembly, sp.GetRequiredService<IConfiguration>(), routePrefix)));
        services.AddSingleton<NonHttpFunctionRunner>();
        if (builder.Configuration.GetValue(TimersSetting, defaultValue: true))
        {
            services.AddHostedService<TimerScheduler>();
        }

        // Queue triggers: host.json's extensions.queues, the connections named by the triggers, and what dev/events lists.
        services.AddSingleton(sp => QueueHostOptions.Read(AppContext.BaseDirectory, sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<QueueConnections>();
        if (builder.Configuration.GetValue(QueuesSetting, defaultValue: true))
        {
            services.AddHostedService<QueueListener>();
        }

        services.AddSingleton<DevEventLog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventDeliveryObserver, DevEventLog>(sp => sp.GetRequiredService<DevEventLog>()));

        return builder;
    }

    /// <summary>Maps the discovered functions and the local-only admin and dev endpoints.</summary>
    public static WebApplication MapLocalHost(this WebApplication app)
    {
        // Resolving the catalog runs discovery now, so a function the host cannot run stops start-up.
        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        app.UseLoopbackOnlyForDevAndAdmin();
        app.MapHttpFunctions(catalog);
        app.MapAdminEndpoints();
        app.MapOutboxEndpoint();
        app.MapEventsEndpoint();
        app.MapPhoneSimulator();
        app.MapFallback("{**path}", (HttpContext context) =>
            HostProblems.NotFound($"No function answers {context.Request.Method} {context.Request.Path}."))
            .ExcludeFromDescription();
        return app;
    }
}
