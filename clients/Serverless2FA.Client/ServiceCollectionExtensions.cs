using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serverless2FA.Client;
using Serverless2FA.Client.Http;
using Serverless2FA.Client.Webhooks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Serverless2FA client.</summary>
public static class Serverless2FAServiceCollectionExtensions
{
    /// <summary>The name of the client's <see cref="HttpClient"/> in <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "Serverless2FA";

    /// <summary>
    /// Registers <see cref="IServerless2FAClient"/> as a typed client over <see cref="IHttpClientFactory"/>: the
    /// function key on every call, an attempt timeout and a total timeout, and retries on 503 and 429 that honour
    /// <c>Retry-After</c> for the calls that are safe to repeat. Also registers <see cref="Serverless2FAWebhookVerifier"/>.
    /// </summary>
    /// <returns>The client's <see cref="IHttpClientBuilder"/>, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddServerless2FAClient(this IServiceCollection services, Action<Serverless2FAClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<Serverless2FAClientOptions>()
            .Configure(configure)
            .Validate(o => o.BaseUrl is { IsAbsoluteUri: true } url && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp),
                "Serverless2FA: BaseUrl must be an absolute http(s) URL, e.g. http://localhost:7071.")
            .Validate(o => o.MaxRetries >= 0 && o.AttemptTimeout > TimeSpan.Zero && o.TotalTimeout >= o.AttemptTimeout,
                "Serverless2FA: MaxRetries must be 0 or more, and TotalTimeout at least AttemptTimeout.")
            .ValidateOnStart();
        services.TryAddSingleton<Serverless2FAWebhookVerifier>();
        services.TryAddSingleton(TimeProvider.System);

        var builder = services.AddHttpClient<IServerless2FAClient, Serverless2FAClient>(HttpClientName, (provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<Serverless2FAClientOptions>>().Value;
            http.BaseAddress = new Uri(options.BaseUrl!.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
            // The resilience pipeline owns the timeouts (per attempt and in total).
            http.Timeout = Timeout.InfiniteTimeSpan;
            if (!string.IsNullOrEmpty(options.FunctionKey))
            {
                http.DefaultRequestHeaders.Add("x-functions-key", options.FunctionKey);
            }
        });
        builder.AddServerless2FAResilience();
        return builder;
    }
}
