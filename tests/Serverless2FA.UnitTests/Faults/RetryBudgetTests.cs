using Azure.Core;
using Azure.Data.Tables;
using Azure.Security.KeyVault.Secrets;
using Serverless2FA.Core.Options;

namespace Serverless2FA.UnitTests.Faults;

public sealed class RetryBudgetTests
{
    [Theory]
    [InlineData("00:00:01")]
    [InlineData("00:00:03")]
    [InlineData("00:00:10")]
    [InlineData("00:02:00")]
    public void Within_EveryTryAndEveryWait_FitTheBudget(string value)
    {
        var budget = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

        var retry = RetryBudget.Within(new TableClientOptions(), budget).Retry;

        Assert.True(RetryBudget.WorstCase(retry) <= budget, $"{RetryBudget.WorstCase(retry)} > {budget}");
        Assert.Equal(RetryMode.Exponential, retry.Mode);
        Assert.Equal(1, retry.MaxRetries);
        // Each try keeps a real share of the budget: a slow answer is not cut short for the sake of retries.
        Assert.True(retry.NetworkTimeout >= budget * 0.4, $"{retry.NetworkTimeout} per try of {budget}");
    }

    [Fact]
    public void WorstCase_OfTheSdkDefaults_IsFarBeyondAnyCallersPatience()
    {
        // What the service had before: 100 s per try and three retries, so a stalled storage held a request for minutes.
        Assert.True(RetryBudget.WorstCase(new TableClientOptions().Retry) > TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void WorstCase_AddsEveryTryAndTheLongestWaitBeforeEachRetry()
    {
        var retry = new SecretClientOptions().Retry;
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = 3;
        retry.NetworkTimeout = TimeSpan.FromSeconds(1);
        retry.Delay = TimeSpan.FromMilliseconds(100);
        retry.MaxDelay = TimeSpan.FromMilliseconds(300);

        // 4 tries of 1 s; waits of at most 120 ms, 240 ms and 480 ms capped at 300 ms (jitter up to 1.2).
        Assert.Equal(TimeSpan.FromMilliseconds(4000 + 120 + 240 + 300), RetryBudget.WorstCase(retry));
    }
}
