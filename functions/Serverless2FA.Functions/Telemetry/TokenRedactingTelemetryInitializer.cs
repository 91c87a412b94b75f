using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;

namespace Serverless2FA.Functions.Telemetry;

/// <summary>
/// Keeps link tokens out of the worker's Application Insights telemetry: request and dependency names, URLs and
/// data, operation names, trace messages and custom properties that hold <c>/s/{token}</c> or <c>/c/{token}</c> are
/// rewritten to the route template. (The Functions host's own request telemetry never reaches a worker initializer;
/// host.json turns off its extended HTTP collection, so it carries the function name and no URL.)
/// </summary>
public sealed class TokenRedactingTelemetryInitializer : ITelemetryInitializer
{
    public void Initialize(ITelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        switch (telemetry)
        {
            case RequestTelemetry request:
                request.Name = TokenPaths.Redact(request.Name);
                request.Url = Redact(request.Url);
                break;
            case DependencyTelemetry dependency:
                dependency.Name = TokenPaths.Redact(dependency.Name);
                dependency.Data = TokenPaths.Redact(dependency.Data);
                break;
            case TraceTelemetry trace:
                trace.Message = TokenPaths.Redact(trace.Message);
                break;
        }

        telemetry.Context.Operation.Name = TokenPaths.Redact(telemetry.Context.Operation.Name);
        if (telemetry is ISupportProperties withProperties)
        {
            foreach (var (key, value) in withProperties.Properties.Where(p => TokenPaths.Contains(p.Value)).ToList())
            {
                withProperties.Properties[key] = TokenPaths.Redact(value);
            }
        }
    }

    private static Uri? Redact(Uri? url)
        => url is not null && TokenPaths.Contains(url.OriginalString) ? new Uri(TokenPaths.Redact(url.OriginalString)!, UriKind.RelativeOrAbsolute) : url;
}
