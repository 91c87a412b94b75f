using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serverless2FA.Functions;
using Serverless2FA.Functions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
builder.Services.AddSingleton<ITelemetryInitializer, TokenRedactingTelemetryInitializer>();
// The worker's own Kestrel logs every proxied request's URL, and a texted link carries its single-use token in the
// path (s/{token}): those lines would reach the host's logs. The host logs requests itself; the local host keeps the
// same levels in its appsettings.json.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Azure.Core", LogLevel.Warning);
builder.AddServerless2FA();
builder.Build().Run();
