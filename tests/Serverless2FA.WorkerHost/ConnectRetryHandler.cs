namespace Serverless2FA.WorkerHost;

/// <summary>
/// The worker's Kestrel may not be listening yet when its first request arrives (gRPC initialization can finish
/// first), so the host retries a proxied request that could not be sent: up to 10 attempts, waiting 50 ms and
/// doubling up to 250 ms between them. Any other failure, or an answer of any status, is not retried.
/// </summary>
internal sealed class ConnectRetryHandler(HttpMessageHandler inner, Action<string> log) : DelegatingHandler(inner)
{
    private const int Attempts = 10;
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromMilliseconds(250);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (attempt < Attempts)
            {
                log($"Proxying to the worker failed ({e.Message}); attempt {attempt} of {Attempts}, next in {delay.TotalMilliseconds} ms.");
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
            }
        }
    }
}
