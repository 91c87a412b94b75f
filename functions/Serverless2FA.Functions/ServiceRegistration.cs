using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serverless2FA.Bot;
using Serverless2FA.Core;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions;

public static class ServiceRegistration
{
    /// <summary>Everything the functions need; called by the Functions worker and by the local host alike.</summary>
    public static IHostApplicationBuilder AddServerless2FA(this IHostApplicationBuilder builder)
    {
        builder.AddServerless2FACore();
        var services = builder.Services;
        services.AddSmsBot();
        // Tokens in request paths (setup links) never reach a log.
        services.PostConfigure<LoggerFilterOptions>(TokenSafeLogging.Apply);

        // The functions answer with IActionResults; both hosts execute them with MVC's result executors.
        services.AddMvcCore();

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
