using Azure.Core;

namespace Serverless2FA.Core.Options;

/// <summary>
/// Fits an Azure SDK client's retries into a time budget, so that one SDK call — every try and every wait between
/// tries — gives up within it, and the request that made it answers 503 instead of waiting out the SDK's defaults
/// (100 s per try, and after that retries).
/// </summary>
/// <remarks>
/// Azure.Core waits <c>min(MaxDelay, Delay · 2^(k-1) · jitter)</c> before retry k (jitter 0.8–1.2) and gives each try
/// <c>NetworkTimeout</c>, reading the body included. With the shares below, two tries and one wait take at most
/// 2 · 45 % + 2.4 % = 92.4 % of the budget. A Retry-After header would lengthen a wait beyond MaxDelay; Table
/// Storage and Key Vault do not send one on the errors Azure.Core retries.
/// <para>
/// Two long tries rather than three short ones: Azure.Core gives every try the same NetworkTimeout, and a try that
/// times out on a storage that is merely slow (Azurite or a busy partition serving a burst of parallel
/// transactions) only adds its retry to the queue it waited in. At 10 s each try may wait 4.5 s (three tries had
/// 2.8 s), so a burst is ridden out instead of answered 503, while a stall or an outage still ends within the budget,
/// and a refused connection or a 5xx is still tried once more. Fewer retries also mean fewer writes repeated after
/// their answer was lost.
/// </para>
/// </remarks>
public static class RetryBudget
{
    /// <summary>Retries after the first try.</summary>
    public const int MaxRetries = 1;

    private const double TryShare = 0.45;
    private const double DelayShare = 0.02;
    private const double MaxDelayShare = 0.04;
    private const double MaxJitter = 1.2;
    private const double AfterFaultShare = 0.1;

    /// <summary>Sets the retries of <paramref name="options"/> so that one call with all its retries ends within <paramref name="budget"/>.</summary>
    public static TOptions Within<TOptions>(TOptions options, TimeSpan budget)
        where TOptions : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(budget, TimeSpan.Zero);
        var retry = options.Retry;
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = MaxRetries;
        retry.NetworkTimeout = budget * TryShare;
        retry.Delay = budget * DelayShare;
        retry.MaxDelay = budget * MaxDelayShare;
        return options;
    }

    /// <summary>
    /// How long a request may still wait on storage once one of its calls failed on a dependency fault, which took up
    /// to <see cref="WorstCase"/> of the budget already: one short try, for clean-up worth a try but not a wait, so the
    /// request still answers within about one budget.
    /// </summary>
    public static TimeSpan AfterFault(TimeSpan budget) => budget * AfterFaultShare;

    /// <summary>The longest one call can take under <paramref name="retry"/>: every try timing out, every wait at its longest.</summary>
    public static TimeSpan WorstCase(RetryOptions retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var total = retry.NetworkTimeout * (retry.MaxRetries + 1);
        for (var k = 1; k <= retry.MaxRetries; k++)
        {
            var wait = retry.Mode == RetryMode.Exponential ? retry.Delay * Math.Pow(2, k - 1) * MaxJitter : retry.Delay * MaxJitter;
            total += wait < retry.MaxDelay ? wait : retry.MaxDelay;
        }

        return total;
    }
}
