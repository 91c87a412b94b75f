using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Serverless2FA.Client.Http;

/// <summary>
/// The client's resilience pipeline: a total timeout around bounded retries around an attempt timeout. Retries
/// follow the request's <see cref="RetryWhen"/>, wait exactly the answer's <c>Retry-After</c> (a longer one than
/// <see cref="Serverless2FAClientOptions.MaxRetryAfter"/> is not waited for), else back off exponentially.
/// </summary>
internal static class ResilienceSetup
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);

    public static void AddServerless2FAResilience(this IHttpClientBuilder builder)
        => builder.AddResilienceHandler("serverless2fa", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<Serverless2FAClientOptions>>().Value;
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Serverless2FA.Client");
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            pipeline.AddTimeout(options.TotalTimeout);
            if (options.MaxRetries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetries,
                    ShouldRetryAfterHeader = false,
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, options, time)),
                    DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                        RetryAfter(args.Outcome.Result, time) ?? Backoff(args.AttemptNumber)),
                    OnRetry = args =>
                    {
                        var request = args.Context.GetRequestMessage();
                        logger.LogWarning(
                            "Serverless2FA: retrying {Method} {Path} in {Delay} after {Answer} (retry {Retry})",
                            request?.Method, request?.RequestUri?.AbsolutePath, args.RetryDelay,
                            args.Outcome.Result is { } response ? (int)response.StatusCode : args.Outcome.Exception?.GetType().Name,
                            args.AttemptNumber + 1);
                        return ValueTask.CompletedTask;
                    },
                });
            }

            pipeline.AddTimeout(options.AttemptTimeout);
        });

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, Serverless2FAClientOptions options, TimeProvider time)
    {
        var when = RetryWhenRequestOption.Of(context.GetRequestMessage());
        if (outcome.Exception is not null)
        {
            // The request may have reached the service; only calls safe to repeat after a 503 are repeated.
            return when.HasFlag(RetryWhen.Unavailable) && outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        var response = outcome.Result!;
        var wait = RetryAfter(response, time);
        return response.StatusCode switch
        {
            HttpStatusCode.ServiceUnavailable => when.HasFlag(RetryWhen.Unavailable) && (wait is null || wait <= options.MaxRetryAfter),
            HttpStatusCode.TooManyRequests => when.HasFlag(RetryWhen.TooManyRequests) && wait is not null && wait <= options.MaxRetryAfter,
            _ => false,
        };
    }

    /// <summary>The answer's <c>Retry-After</c>, in seconds or as a date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? Max(date - time.GetUtcNow(), TimeSpan.Zero) : null;
    }

    private static TimeSpan Backoff(int attempt) => FirstBackoff * Math.Pow(2, attempt);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
