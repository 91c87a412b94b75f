using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Core.Sms;

/// <summary>
/// Honours <see cref="TwilioOptions.ApiBaseUrl"/>. The Twilio SDK always builds <c>https://api.twilio.com/...</c>
/// and has no base-URL setting, so this handler, inside the <see cref="HttpClient"/> the SDK is given, moves such
/// requests to the configured scheme, host and port, keeping path and query. With the default setting it changes nothing.
/// </summary>
public sealed class TwilioApiBaseUrlHandler(IOptionsMonitor<TwilioOptions> options) : DelegatingHandler
{
    public const string TwilioApiHost = "api.twilio.com";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Rewrite(request, options.CurrentValue.ApiBaseUrl);
        return base.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Rewrite(request, options.CurrentValue.ApiBaseUrl);
        return base.Send(request, cancellationToken);
    }

    private static void Rewrite(HttpRequestMessage request, Uri baseUrl)
    {
        var uri = request.RequestUri;
        if (uri is null
            || !uri.IsAbsoluteUri
            || uri.Scheme != Uri.UriSchemeHttps
            || !string.Equals(uri.Host, TwilioApiHost, StringComparison.OrdinalIgnoreCase)
            || (string.Equals(baseUrl.Host, TwilioApiHost, StringComparison.OrdinalIgnoreCase) && baseUrl.Scheme == Uri.UriSchemeHttps && baseUrl.IsDefaultPort))
        {
            return;
        }

        request.RequestUri = new UriBuilder(uri)
        {
            Scheme = baseUrl.Scheme,
            Host = baseUrl.Host,
            Port = baseUrl.Port,
        }.Uri;
    }
}
