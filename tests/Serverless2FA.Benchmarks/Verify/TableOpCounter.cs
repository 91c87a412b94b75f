using Azure.Core;
using Azure.Core.Pipeline;

namespace Serverless2FA.Benchmarks.Verify;

/// <summary>Counts the HTTP round trips a <c>TableServiceClient</c> makes (a transaction is one), per call, before retries.</summary>
internal sealed class TableOpCounter : HttpPipelinePolicy
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _count);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _count);
        return ProcessNextAsync(message, pipeline);
    }
}
