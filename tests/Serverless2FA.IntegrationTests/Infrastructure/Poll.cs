using System.Diagnostics;

namespace Serverless2FA.IntegrationTests.Infrastructure;

/// <summary>
/// Waits for something another process or a background loop does (a queue delivery, a recovery, a log line): reads
/// it every <see cref="Interval"/> until it holds, and fails the test with what it last read once
/// <c>patience</c> has passed. The patience is a bound, never an expectation: a fast machine returns at the first read
/// that holds.
/// </summary>
public static class Poll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Reads until <paramref name="done"/> holds and returns that value; fails after <paramref name="patience"/> with <paramref name="failure"/> of the last value read.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan patience, Func<T, string> failure)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(waited.Elapsed < patience, failure(value));
            await Task.Delay(Interval);
        }
    }

    /// <summary>The same for a value read synchronously.</summary>
    public static Task<T> UntilAsync<T>(Func<T> read, Func<T, bool> done, TimeSpan patience, Func<T, string> failure)
        => UntilAsync(() => Task.FromResult(read()), done, patience, failure);

    /// <summary>
    /// Gives <paramref name="done"/> up to <paramref name="patience"/> to hold, without failing: for a test that goes
    /// on either way (and then makes sure by other means). Says whether it held.
    /// </summary>
    public static async Task<bool> AtMostAsync(Func<bool> done, TimeSpan patience)
    {
        var waited = Stopwatch.StartNew();
        while (!done())
        {
            if (waited.Elapsed >= patience)
            {
                return false;
            }

            await Task.Delay(Interval);
        }

        return true;
    }
}
