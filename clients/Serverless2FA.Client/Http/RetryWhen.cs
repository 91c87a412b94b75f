namespace Serverless2FA.Client.Http;

/// <summary>
/// Which answers a call may be repeated on. Each client method picks one, because a retry that could double an
/// effect (count a wrong code twice, spend a step-up) is worse than showing the person an error.
/// </summary>
[Flags]
internal enum RetryWhen
{
    /// <summary>Never repeated: the first answer, whatever it is, goes to the caller.</summary>
    Never = 0,

    /// <summary>A 503, a failed connection or an attempt timeout.</summary>
    Unavailable = 1,

    /// <summary>A 429 whose <c>Retry-After</c> is short (the call was refused and did nothing).</summary>
    TooManyRequests = 2,

    /// <summary>Both: for reads, deletes and calls whose repetition has the effect of one.</summary>
    Always = Unavailable | TooManyRequests,
}

internal static class RetryWhenRequestOption
{
    public static readonly HttpRequestOptionsKey<RetryWhen> Key = new("Serverless2FA.RetryWhen");

    public static RetryWhen Of(HttpRequestMessage? request)
        => request is not null && request.Options.TryGetValue(Key, out var when) ? when : RetryWhen.Never;
}
